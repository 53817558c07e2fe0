import { scryptAsync } from "@noble/hashes/scrypt";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { z } from "zod";

// The vault's password-based key derivation: PBKDF2-HMAC-SHA256 through WebCrypto (the default) or scrypt
// through @noble/hashes. Either gives an AES-256-GCM key that cannot be exported from WebCrypto. The
// choice and the figures behind it are in docs/KEYS-WEB.md.

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256, and MetaMask's since 2023; fewer is refused. */
export const MIN_PBKDF2_ITERATIONS = 600_000;
const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** scrypt: at least 2^15 × 8 (32 MiB), at most 256 MiB of memory (128·N·r). */
const MIN_SCRYPT_N = 2 ** 15;
const MAX_SCRYPT_MEMORY = 256 * 2 ** 20;

const salt = z.string().regex(/^0x([0-9a-f]{2}){16,64}$/, "expected 16 to 64 bytes as lower-case hex");

export const vaultKdfSchema = z.discriminatedUnion("name", [
  z.strictObject({
    name: z.literal("pbkdf2-sha256"),
    iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(MAX_PBKDF2_ITERATIONS),
    salt,
  }),
  z
    .strictObject({
      name: z.literal("scrypt"),
      N: z
        .number()
        .int()
        .min(MIN_SCRYPT_N)
        .refine((n) => (n & (n - 1)) === 0, "expected a power of 2"),
      r: z.number().int().min(1).max(16),
      p: z.number().int().min(1).max(4),
      salt,
    })
    .refine((kdf) => 128 * kdf.N * kdf.r <= MAX_SCRYPT_MEMORY, "expected at most 256 MiB (128·N·r)"),
]);

/** How a record's key is derived from the password: the function, its cost and the record's salt. */
export type VaultKdf = z.infer<typeof vaultKdfSchema>;
export type VaultKdfName = VaultKdf["name"];

/** Defaults: 600,000 PBKDF2 rounds; scrypt at ethers' keystore cost (N = 2^17, r = 8, p = 1, 128 MiB). */
export const DEFAULT_KDF: { "pbkdf2-sha256": { iterations: number }; scrypt: { N: number; r: number; p: number } } = {
  "pbkdf2-sha256": { iterations: MIN_PBKDF2_ITERATIONS },
  scrypt: { N: 2 ** 17, r: 8, p: 1 },
};

/** A fresh kdf description with a random 128-bit salt. */
export function newVaultKdf(name: VaultKdfName = "pbkdf2-sha256"): VaultKdf {
  const fresh = bytesToHex(crypto.getRandomValues(new Uint8Array(16)));
  return name === "scrypt" ? { name, ...DEFAULT_KDF.scrypt, salt: fresh } : { name, ...DEFAULT_KDF[name], salt: fresh };
}

/**
 * The AES-256-GCM key that `password` gives under `kdf`, as a non-extractable WebCrypto key. The password
 * is NFKC-normalised (as keystores do), so the same password typed on two keyboards opens the vault.
 */
export async function deriveVaultKey(password: string, kdf: VaultKdf): Promise<CryptoKey> {
  const secret = new TextEncoder().encode(password.normalize("NFKC"));
  const saltBytes = new Uint8Array(hexToBytes(kdf.salt as Hex));
  const usages: KeyUsage[] = ["encrypt", "decrypt"];
  if (kdf.name === "pbkdf2-sha256") {
    const base = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: saltBytes, iterations: kdf.iterations },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      usages,
    );
  }
  const raw = new Uint8Array(
    await scryptAsync(secret, saltBytes, { N: kdf.N, r: kdf.r, p: kdf.p, dkLen: 32, maxmem: 2 ** 29 }),
  );
  try {
    return await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, usages);
  } finally {
    raw.fill(0);
    secret.fill(0);
  }
}
