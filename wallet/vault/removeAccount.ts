import type { Address } from "viem";
import { VaultAccountNotFoundError } from "./errors.ts";
import { openRecords, readRecords } from "./vault-open.ts";
import type { VaultStore } from "./vault-store.ts";

export interface RemoveAccountParameters {
  /** Asked so that someone at an unlocked screen cannot throw an account's key away. */
  password: string;
  address: Address;
}

/**
 * Deletes an account's record from the vault, after the vault's password. Its key is gone from this
 * device: the screen should make sure its phrase or key is backed up first.
 *
 * @example
 * await removeAccount(store, { password, address });
 */
export async function removeAccount(store: VaultStore, { password, address }: RemoveAccountParameters): Promise<void> {
  const record = (await readRecords(store)).find((candidate) => candidate.address === address);
  if (record === undefined) throw new VaultAccountNotFoundError(`${address} is not in the vault`);
  await openRecords([record], password);
  await store.delete(address);
}
