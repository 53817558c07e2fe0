import type { VaultRecord } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

/**
 * A vault store in memory: for tests and for a session that must leave nothing behind. Records are
 * copied in and out, as a real store would, so a caller cannot change one in place.
 *
 * @example
 * const store = createMemoryVaultStore();
 * await addAccount(store, { password, source: { type: "mnemonic", mnemonic } });
 */
export function createMemoryVaultStore(): VaultStore & { records: Map<string, VaultRecord> } {
  const records = new Map<string, VaultRecord>();
  return {
    records,
    list: async () => [...records.values()].map((record) => structuredClone(record)),
    get: async (address) => {
      const record = records.get(address);
      return record === undefined ? undefined : structuredClone(record);
    },
    put: async (batch) => {
      for (const record of batch) records.set(record.address, structuredClone(record));
    },
    delete: async (address) => {
      records.delete(address);
    },
  };
}
