import { type Address, bytesToHex, getAddress, type Hex, hexToBytes } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { z } from "zod";
import { WrongPasswordError } from "../errors.ts";
import { InvalidAccountNameError, VaultRecordError } from "./errors.ts";
import { type VaultKdf, vaultKdfSchema } from "./vault-kdf.ts";

// The vault's record: one account, as stored (IndexedDB in the browser, memory in tests). In clear: what a
// screen lists without the password (address, name, whether a phrase backs it, its path) and how to open
// it (kdf, salt, iv). Encrypted with AES-256-GCM: the private key, and the phrase when there is one. The
// clear fields but the name are bound to the ciphertext as additional authenticated data, so a record
// whose address, kdf or kind was changed, or whose ciphertext was moved to another record, does not open.

export const VAULT_RECORD_VERSION = 1 as const;

const hex = (what: string, pattern: RegExp) => z.string().regex(pattern, `expected ${what} as lower-case hex`);

export const vaultRecordSchema = z.strictObject({
  version: z.literal(VAULT_RECORD_VERSION),
  address: z.string().refine((value) => /^0x[0-9a-fA-F]{40}$/.test(value) && getAddress(value) === value, {
    message: "expected a checksummed address",
  }),
  /** A label for lists; not authenticated (renaming needs no password). */
  name: z.string().max(64),
  /** `mnemonic`: derived from a BIP-39 phrase (at `path`), which is stored too; `privateKey`: a bare key. */
  source: z.enum(["mnemonic", "privateKey"]),
  path: z.string().max(64).optional(),
  /** Milliseconds since 1970: lists show accounts in the order they were added. */
  createdAt: z.number().int().nonnegative(),
  kdf: vaultKdfSchema,
  cipher: z.strictObject({
    name: z.literal("aes-256-gcm"),
    iv: hex("12 bytes", /^0x[0-9a-f]{24}$/),
  }),
  /** AES-GCM's output: the encrypted secret, then its 16-byte tag. */
  ciphertext: hex("17 to 4096 bytes", /^0x([0-9a-f]{2}){17,4096}$/),
});

export type VaultRecord = Omit<z.infer<typeof vaultRecordSchema>, "address"> & { address: Address };

/** What a record encrypts. */
export interface VaultSecret {
  privateKey: Hex;
  /** The BIP-39 phrase of a `mnemonic` record (normalised). */
  mnemonic?: string | undefined;
}

const secretSchema = z.strictObject({
  privateKey: z.string().regex(/^0x[0-9a-f]{64}$/),
  mnemonic: z.string().optional(),
});

/** An account's label, trimmed: 1 to 64 characters. */
export function accountName(name: string): string {
  const label = name.trim();
  if (label === "" || label.length > 64) {
    throw new InvalidAccountNameError(`an account's name has 1 to 64 characters; got ${label.length}`);
  }
  return label;
}

/** Checks what a store returned: a record this wallet reads, or a VaultRecordError saying what is wrong. */
export function parseVaultRecord(value: unknown): VaultRecord {
  const result = vaultRecordSchema.safeParse(value);
  if (result.success) {
    const record = result.data;
    if ((record.source === "mnemonic") !== (record.path !== undefined)) {
      throw new VaultRecordError("vault record: path: expected one exactly when the source is a mnemonic");
    }
    return record as VaultRecord;
  }
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `.${issue.path.join(".")}` : "";
  throw new VaultRecordError(`vault record${where}: ${issue?.message ?? "invalid"}`, {
    hint: "the browser's stored vault was changed or written by another version; import the account again",
  });
}

/** The clear fields, but the name and the date, in a fixed order: the ciphertext is bound to them. */
export function recordAad(record: Omit<VaultRecord, "name" | "createdAt" | "ciphertext">): Uint8Array<ArrayBuffer> {
  const { kdf } = record;
  const kdfFields =
    kdf.name === "scrypt" ? [kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt] : [kdf.name, kdf.iterations, kdf.salt];
  const fields = ["gram-vault", record.version, record.address, record.source, record.path ?? null, kdfFields];
  return new TextEncoder().encode(JSON.stringify([...fields, record.cipher.name]));
}

export interface SealRecordParameters {
  key: CryptoKey;
  kdf: VaultKdf;
  secret: VaultSecret;
  name: string;
  path?: string | undefined;
  createdAt?: number | undefined;
}

/** Encrypts one account into a record, under a fresh random 96-bit IV. */
export async function sealRecord({
  key,
  kdf,
  secret,
  name,
  path,
  createdAt,
}: SealRecordParameters): Promise<VaultRecord> {
  const clear = {
    version: VAULT_RECORD_VERSION,
    address: privateKeyToAddress(secret.privateKey),
    source: secret.mnemonic === undefined ? ("privateKey" as const) : ("mnemonic" as const),
    ...(path === undefined ? {} : { path }),
    kdf,
    cipher: { name: "aes-256-gcm" as const, iv: bytesToHex(crypto.getRandomValues(new Uint8Array(12))) },
  };
  const plain = new TextEncoder().encode(JSON.stringify(secret));
  try {
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: new Uint8Array(hexToBytes(clear.cipher.iv)), additionalData: recordAad(clear) },
      key,
      plain,
    );
    return { ...clear, name, createdAt: createdAt ?? Date.now(), ciphertext: bytesToHex(new Uint8Array(sealed)) };
  } finally {
    plain.fill(0);
  }
}

/**
 * Decrypts a record. A wrong password and a changed record are the same error: GCM's tag does not say
 * which, and the message does not guess.
 */
export async function openRecord(record: VaultRecord, key: CryptoKey): Promise<VaultSecret> {
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: new Uint8Array(hexToBytes(record.cipher.iv as Hex)), additionalData: recordAad(record) },
        key,
        new Uint8Array(hexToBytes(record.ciphertext as Hex)),
      ),
    );
  } catch {
    throw wrongPassword();
  }
  try {
    const parsed = secretSchema.safeParse(JSON.parse(new TextDecoder().decode(plain)));
    if (!parsed.success || privateKeyToAddress(parsed.data.privateKey as Hex) !== record.address) {
      throw new VaultRecordError(`vault record of ${record.address} holds another account's key`);
    }
    const { privateKey, mnemonic } = parsed.data;
    return { privateKey: privateKey as Hex, ...(mnemonic === undefined ? {} : { mnemonic }) };
  } finally {
    plain.fill(0);
  }
}

export function wrongPassword(): WrongPasswordError {
  return new WrongPasswordError("wrong password", {
    details: "the vault does not open with this password",
    hint: "check the password and try again",
  });
}
