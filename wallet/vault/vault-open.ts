import type { Address } from "viem";
import { EmptyPasswordError } from "../errors.ts";
import { VaultCorruptError } from "./errors.ts";
import { deriveVaultKey, type VaultKdf } from "./vault-kdf.ts";
import { openRecord, parseVaultRecord, type VaultRecord, type VaultSecret, wrongPassword } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

// Reading and opening the vault's records, shared by unlock, add, export and the password change.

/** Every record of the store, checked, oldest first. */
export async function readRecords(store: VaultStore): Promise<VaultRecord[]> {
  const records = (await store.list()).map(parseVaultRecord);
  return records.sort((a, b) => a.createdAt - b.createdAt || a.address.localeCompare(b.address));
}

export function checkPassword(password: string, what = "password"): void {
  if (password === "") throw new EmptyPasswordError(`${what} is empty; the vault needs a password`);
}

/** Derives each distinct kdf's key once: records added to a vault share its salt, so that is one KDF. */
export function createKeyCache(password: string) {
  const keys = new Map<string, Promise<CryptoKey>>();
  return (kdf: VaultKdf): Promise<CryptoKey> => {
    const id = JSON.stringify(kdf);
    let key = keys.get(id);
    if (key === undefined) {
      key = deriveVaultKey(password, kdf);
      keys.set(id, key);
    }
    return key;
  };
}

export interface OpenedRecord {
  record: VaultRecord;
  secret: VaultSecret;
  key: CryptoKey;
}

/**
 * Opens every record with `password`. None opens: a wrong password. Some open and others do not: those
 * were changed (or written under another password), and nothing is returned.
 */
export async function openRecords(
  records: readonly VaultRecord[],
  password: string,
  keyOf: (kdf: VaultKdf) => Promise<CryptoKey> = createKeyCache(password),
): Promise<OpenedRecord[]> {
  checkPassword(password);
  const opened: OpenedRecord[] = [];
  const failed: Address[] = [];
  for (const record of records) {
    const key = await keyOf(record.kdf);
    try {
      opened.push({ record, secret: await openRecord(record, key), key });
    } catch (error) {
      if ((error as { code?: string }).code !== "WRONG_PASSWORD") throw error;
      failed.push(record.address);
    }
  }
  if (failed.length === 0) return opened;
  if (opened.length === 0) throw wrongPassword();
  throw new VaultCorruptError(
    `the vault's records of ${failed.join(", ")} do not open with the password of the others`,
    {
      details: "they were changed, or written under another password",
      hint: "remove those accounts and import them again from their phrase or key",
    },
  );
}
