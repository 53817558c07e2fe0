import type { Address } from "viem";
import { readRecords } from "./vault-open.ts";
import type { VaultRecord } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

/** An account of the vault as a list shows it: nothing secret. */
export interface VaultAccount {
  address: Address;
  name: string;
  source: VaultRecord["source"];
  /** The derivation path of an account from a phrase. */
  path: string | undefined;
  createdAt: number;
}

/**
 * The vault's accounts, oldest first, read from the records' clear fields: no password needed, so a
 * locked screen can say whose vault it is.
 *
 * @example
 * const accounts = await listVaultAccounts(store); // [] → offer to create or import
 */
export async function listVaultAccounts(store: VaultStore): Promise<VaultAccount[]> {
  return (await readRecords(store)).map(({ address, name, source, path, createdAt }) => ({
    address,
    name,
    source,
    path,
    createdAt,
  }));
}
