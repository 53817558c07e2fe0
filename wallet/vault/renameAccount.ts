import type { Address } from "viem";
import { VaultAccountNotFoundError } from "./errors.ts";
import { readRecords } from "./vault-open.ts";
import { accountName } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

export interface RenameAccountParameters {
  address: Address;
  /** 1 to 64 characters after trimming. */
  name: string;
}

/**
 * Renames an account. The name is a clear, unauthenticated label (not bound to the ciphertext), so no
 * password is needed.
 *
 * @example
 * await renameAccount(store, { address, name: "savings" });
 */
export async function renameAccount(store: VaultStore, { address, name }: RenameAccountParameters): Promise<void> {
  const label = accountName(name);
  const record = (await readRecords(store)).find((candidate) => candidate.address === address);
  if (record === undefined) throw new VaultAccountNotFoundError(`${address} is not in the vault`);
  await store.put([{ ...record, name: label }]);
}
