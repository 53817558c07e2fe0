// The key vault's store in the browser: IndexedDB, in a database of its own ("gram-keys"), apart from the
// app's other data ("gram"), so that clearing chats or contacts can never touch keys, and keys can be
// wiped without touching the rest. Records are stored as the vault seals them (wallet/vault/vault-record.ts):
// the address and name in clear, the key and phrase encrypted. Nothing here decrypts.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Address } from "viem";
import type { VaultRecord } from "../../wallet/vault/vault-record.ts";
import type { VaultStore } from "../../wallet/vault/vault-store.ts";

/** The database's name; one per browser profile and origin. */
export const KEY_VAULT_DATABASE = "gram-keys";
const VERSION = 1;

interface KeyVaultSchema extends DBSchema {
  /** One record per account, keyed by its checksummed address. */
  accounts: { key: string; value: VaultRecord };
}

export interface KeyVaultStore extends VaultStore {
  /** Closes the connection (a test's teardown; a page leaves it open). */
  close(): Promise<void>;
}

/**
 * The vault's records in IndexedDB. The database is opened on first use; a password change's records are
 * written in one transaction.
 *
 * @example
 * const store = createKeyVaultStore();
 * const session = await unlockVault(store, { password });
 */
export function createKeyVaultStore({ name = KEY_VAULT_DATABASE }: { name?: string } = {}): KeyVaultStore {
  let database: Promise<IDBPDatabase<KeyVaultSchema>> | undefined;
  const db = () => {
    database ??= openDB<KeyVaultSchema>(name, VERSION, {
      upgrade(upgrading) {
        upgrading.createObjectStore("accounts", { keyPath: "address" });
      },
      // Another tab upgrades the schema: let it, and reopen on next use.
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
        database = undefined;
      },
    });
    return database;
  };
  return {
    list: async () => (await db()).getAll("accounts"),
    get: async (address: Address) => (await db()).get("accounts", address),
    put: async (records) => {
      const tx = (await db()).transaction("accounts", "readwrite");
      const requests: Promise<unknown>[] = [];
      try {
        for (const record of records) requests.push(tx.store.put(record));
      } catch (error) {
        // A record IndexedDB refuses at once (no key): the ones queued before it must not commit alone.
        for (const request of requests) request.catch(() => undefined);
        tx.abort();
        await tx.done.catch(() => undefined);
        throw error;
      }
      await Promise.all([...requests, tx.done]);
    },
    delete: async (address: Address) => (await db()).delete("accounts", address),
    close: async () => {
      if (database !== undefined) (await database).close();
      database = undefined;
    },
  };
}
