import type { Address } from "viem";
import type { VaultRecord } from "./vault-record.ts";

/**
 * Where vault records live: memory in tests (`createMemoryVaultStore`), IndexedDB in the browser
 * (web/storage/key-vault-store.ts). One record per address. The store keeps records as given; the vault's
 * functions check every record they read (`parseVaultRecord`), so a store needs no schema of its own.
 */
export interface VaultStore {
  /** Every record, in no particular order. */
  list(): Promise<unknown[]>;
  get(address: Address): Promise<unknown | undefined>;
  /** Writes all of `records` or none (one transaction): a password change rewrites every record at once. */
  put(records: readonly VaultRecord[]): Promise<void>;
  delete(address: Address): Promise<void>;
}
