import type { Address } from "viem";
import { z } from "zod";
import { checksumAddress } from "../../protocol/checksum.ts";
import { KeystoreCorruptError, KeystoreUnsupportedError } from "../errors.ts";

/**
 * Bounds on the key-derivation work a keystore may ask for. A keystore can come from anywhere (`gram
 * import`); without a bound, one with N = 2^30 would hang the wallet or exhaust memory. They admit
 * geth's standard scrypt (N = 2^18, r = 8: 256 MiB) and the spec's vectors.
 */
const MAX_SCRYPT_MEMORY = 256 * 2 ** 20;
const MAX_SCRYPT_WORK = 2 ** 22; // N * r * p
const MAX_PBKDF2_ROUNDS = 2 ** 24;

const hex = (bytes: string) => z.string().regex(/^(0x)?([0-9a-fA-F]{2})+$/, `expected ${bytes} as hex`);
const fixedHex = (length: number) =>
  z.string().regex(new RegExp(`^(0x)?[0-9a-fA-F]{${length * 2}}$`), `expected ${length} bytes as hex`);

const scryptParams = z.object({
  n: z.number().int(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  dklen: z.literal(32, { error: "expected 32" }),
  salt: hex("bytes"),
});

const pbkdf2Params = z.object({
  c: z.number().int().positive(),
  dklen: z.literal(32, { error: "expected 32" }),
  prf: z.enum(["hmac-sha256", "hmac-sha512"]),
  salt: hex("bytes"),
});

const cryptoSection = z.object({
  cipher: z.string(),
  cipherparams: z.object({ iv: fixedHex(16) }),
  ciphertext: hex("1 to 32 bytes").refine(
    (value) => value.replace(/^0x/, "").length <= 64,
    "expected at most 32 bytes",
  ),
  kdf: z.string(),
  kdfparams: z.record(z.string(), z.unknown()),
  mac: fixedHex(32),
});

const ethersSection = z.object({
  version: z.literal("0.1", { error: "expected '0.1'" }),
  mnemonicCiphertext: hex("bytes"),
  mnemonicCounter: fixedHex(16),
  path: z.string().optional(),
  locale: z.literal("en", { error: "expected 'en'" }).optional(),
});

/** A v3 keystore whose structure has been checked; nothing in it has been decrypted. */
export interface ParsedKeystore {
  /** As named by the file, checksummed; the spec makes the field optional. */
  address: Address | undefined;
  kdf: "scrypt" | "pbkdf2";
  /** An encrypted mnemonic (ethers' `x-ethers` section) travels with the key. */
  hasMnemonic: boolean;
  /** Derivation path stored beside the mnemonic, in clear text. */
  path: string | undefined;
  /** The file's text, handed to ethers as is. */
  json: string;
}

/**
 * Checks that `text` is a Web3 Secret Storage v3 keystore that this wallet can decrypt, and says
 * precisely what is wrong when it is not: not JSON, truncated, a field missing or malformed, or a
 * version, kdf or cipher it does not read.
 */
export function parseKeystore(text: string, source = "keystore"): ParsedKeystore {
  if (text.trim() === "") throw new KeystoreCorruptError(`${source} is empty`, { hint: restoreHint });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error; it stays out of ours.
    const truncated = text.trimStart().startsWith("{");
    throw new KeystoreCorruptError(
      truncated ? `${source} is truncated or damaged: its JSON is incomplete` : `${source} is not a JSON keystore`,
      { hint: restoreHint },
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new KeystoreCorruptError(`${source} is not a keystore: expected a JSON object`, { hint: restoreHint });
  }
  const record = data as Record<string, unknown>;
  if (record.version !== 3) {
    if (record.version === undefined) {
      throw new KeystoreCorruptError(`${source}: version: missing; expected 3`, { hint: restoreHint });
    }
    throw new KeystoreUnsupportedError(
      `${source} is keystore version ${JSON.stringify(record.version)}; Gram reads version 3 (Web3 Secret Storage)`,
    );
  }
  // ethers writes "Crypto", the spec "crypto"; both are read.
  const cryptoKey = "crypto" in record ? "crypto" : "Crypto";
  const crypto = parseWith(cryptoSection, record[cryptoKey], `${source}: ${cryptoKey}`);
  if (crypto.cipher !== "aes-128-ctr") {
    throw new KeystoreUnsupportedError(`${source} uses cipher '${crypto.cipher}'; Gram reads aes-128-ctr`);
  }
  const kdf = crypto.kdf.toLowerCase();
  if (kdf === "scrypt") {
    const { n, r, p } = parseWith(scryptParams, crypto.kdfparams, `${source}: ${cryptoKey}.kdfparams`);
    if (n < 2 || (n & (n - 1)) !== 0) {
      throw new KeystoreCorruptError(`${source}: ${cryptoKey}.kdfparams.n: got ${n}, expected a power of 2`, {
        hint: restoreHint,
      });
    }
    if (128 * n * r > MAX_SCRYPT_MEMORY || n * r * p > MAX_SCRYPT_WORK) {
      throw new KeystoreUnsupportedError(
        `${source} asks for scrypt n=${n} r=${r} p=${p}; Gram allows at most 256 MiB (128·n·r) and n·r·p ≤ 2^22`,
      );
    }
  } else if (kdf === "pbkdf2") {
    const { c } = parseWith(pbkdf2Params, crypto.kdfparams, `${source}: ${cryptoKey}.kdfparams`);
    if (c > MAX_PBKDF2_ROUNDS) {
      throw new KeystoreUnsupportedError(`${source} asks for ${c} pbkdf2 rounds; Gram allows at most 2^24`);
    }
  } else {
    throw new KeystoreUnsupportedError(`${source} uses kdf '${crypto.kdf}'; Gram reads scrypt and pbkdf2`);
  }

  let address: Address | undefined;
  if (record.address !== undefined) {
    const value = typeof record.address === "string" ? record.address.replace(/^(0x)?/i, "0x") : "";
    if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
      throw new KeystoreCorruptError(`${source}: address: expected 20 bytes as hex`, { hint: restoreHint });
    }
    address = checksumAddress(value);
  }
  const ethers =
    record["x-ethers"] === undefined ? undefined : parseWith(ethersSection, record["x-ethers"], `${source}: x-ethers`);
  return { address, kdf, hasMnemonic: ethers !== undefined, path: ethers?.path, json: text };
}

const restoreHint = "restore this file from a backup, or import the account again from its mnemonic or private key";

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value, {
    error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "missing" : undefined),
  });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `.${issue.path.join(".")}` : "";
  throw new KeystoreCorruptError(`${where}${path}: ${issue?.message ?? "invalid"}`, { hint: restoreHint });
}
