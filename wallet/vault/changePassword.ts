import { deriveVaultKey, newVaultKdf, type VaultKdfName } from "./vault-kdf.ts";
import { checkPassword, openRecords, readRecords } from "./vault-open.ts";
import { sealRecord } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

export interface ChangePasswordParameters {
  password: string;
  newPassword: string;
  /** The KDF to re-encrypt with; the vault's current one by default. */
  kdf?: VaultKdfName | undefined;
}

/**
 * Re-encrypts every record of the vault under a new password (a new salt, new IVs), written in one
 * store transaction: a vault is never half under one password and half under the other.
 *
 * @example
 * await changePassword(store, { password, newPassword });
 */
export async function changePassword(
  store: VaultStore,
  { password, newPassword, kdf }: ChangePasswordParameters,
): Promise<void> {
  checkPassword(newPassword, "the new password");
  const opened = await openRecords(await readRecords(store), password);
  const first = opened[0];
  if (first === undefined) return;
  const vaultKdf = newVaultKdf(kdf ?? first.record.kdf.name);
  const key = await deriveVaultKey(newPassword, vaultKdf);
  const records = [];
  for (const { record, secret } of opened) {
    records.push(
      await sealRecord({
        key,
        kdf: vaultKdf,
        secret,
        name: record.name,
        path: record.path,
        createdAt: record.createdAt,
      }),
    );
  }
  await store.put(records);
}
