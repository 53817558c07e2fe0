// The web app's IndexedDB database "gram": everything the wallet keeps in a page except keys (the key vault
// has its own database, "gram-keys"). One object store per wallet store; every key starts with the account
// (its address, lower case), so one browser profile holds several accounts apart. Records are kept as the
// CLI's files hold them (JSON values) and checked on every read by the same parsers.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";

export const GRAM_DB = "gram";

/**
 * The schema's version. Raise it with a new step in `upgrade` (never edit a step that shipped): a browser
 * that opens an older database runs the steps it missed, in order.
 */
export const GRAM_DB_VERSION = 2;

/** `[account, name]`: the account's address in lower case, then the record's name within the store. */
export type AccountKey = [account: string, name: string];

export interface GramDb extends DBSchema {
  /** The address book: `[account, "contacts"]` → name → address. */
  contacts: { key: AccountKey; value: unknown };
  /** Stored invoices: `[account, id]` → the invoice as its file holds it. */
  invoices: { key: AccountKey; value: unknown };
  /** Invoice counters: `[account, "<chainId>-<escrow>-<merchant>"]` → `{ next }`. */
  counters: { key: AccountKey; value: unknown };
  /** Next nonces: `[account, "<chainId>-<address>"]` → `{ chainId, address, next, updatedAt }`. */
  nonces: { key: AccountKey; value: unknown };
  /** Chat state: `[account, "<chainId> <hub URL>"]` → a `ChatState`. */
  "chat-state": { key: AccountKey; value: unknown };
  /**
   * What the chat screens keep (version 2): `[account, "<chainId> <hub URL>"]` → the conversations' list
   * (label, last message, unread, read cursor) and the outbox (messages typed offline, with their ids).
   */
  "chat-view": { key: AccountKey; value: unknown };
}

export type GramDatabase = IDBPDatabase<GramDb>;

export const GRAM_STORES = ["contacts", "invoices", "counters", "nonces", "chat-state", "chat-view"] as const;

/**
 * Opens (creating or upgrading) the database. `name` is for tests that want a database of their own.
 *
 * @example
 * const db = await openGramDb();
 * const stores = indexedDbWalletStores(db, account.address);
 */
export function openGramDb(name = GRAM_DB): Promise<GramDatabase> {
  return openDB<GramDb>(name, GRAM_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        for (const store of ["contacts", "invoices", "counters", "nonces", "chat-state"] as const) {
          db.createObjectStore(store);
        }
      }
      if (oldVersion < 2) db.createObjectStore("chat-view");
    },
    // Another tab opened a newer version: close, so that its upgrade is not blocked; this tab reloads
    // into the new code.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** The range of every key of `account` in a store. */
export function accountRange(account: string): IDBKeyRange {
  const who = account.toLowerCase();
  // Arrays sort after strings in IndexedDB: [who, []] is above every [who, "<name>"].
  return IDBKeyRange.bound([who], [who, []]);
}

/** The key of `name` for `account`. */
export function accountKey(account: string, name: string): AccountKey {
  return [account.toLowerCase(), name];
}
