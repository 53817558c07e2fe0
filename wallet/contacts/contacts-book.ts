// The address book and where it is kept: a `ContactsStore` is a file for the CLI (`contacts-store.ts`,
// `$GRAM_HOME/contacts.json`), memory for tests (`memoryContactsStore`), IndexedDB in a page
// (`web/storage/`). The actions (`addContact`, `resolveRecipient`, …) take a store; this file runs anywhere.
import type { Address } from "viem";
import { parseAddress } from "../address.ts";
import { ContactsFileError, WalletError } from "../errors.ts";
import { normalizeContactName } from "./contact-name.ts";

/** name → checksummed address, as in `$GRAM_HOME/contacts.json`. */
export type Contacts = Record<string, Address>;

/** Where one address book lives. The book is read and replaced whole: it is small (a person's contacts). */
export interface ContactsStore {
  /** The book, checked (`parseContacts`); empty when nothing was saved; throws `ContactsFileError` when damaged. */
  read(): Promise<Contacts>;
  /** Replaces the book. */
  write(contacts: Contacts): Promise<void>;
}

/** Checks a book read back from a store: every name in its stored form, every address EIP-55. */
export function parseContacts(data: unknown, where: string, hint = HINT): Contacts {
  const invalid = (what: string) => damagedContacts(where, what, hint);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw invalid("expected a JSON object of name → address");
  }
  const contacts: Contacts = {};
  for (const [key, value] of Object.entries(data)) {
    try {
      const name = normalizeContactName(key);
      if (name !== key) throw invalid(`name '${key}' is not in its stored form '${name}'`);
      if (typeof value !== "string") throw invalid(`${key}: expected an address string`);
      contacts[name] = parseAddress(value, `${key}'s address`);
    } catch (error) {
      if (error instanceof ContactsFileError || !(error instanceof WalletError)) throw error;
      throw invalid(error.shortMessage);
    }
  }
  return contacts;
}

/** The book with its names sorted, as it is written (a file diffs well). */
export function sortContacts(contacts: Contacts): Contacts {
  return Object.fromEntries(Object.entries(contacts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Keeps the book in memory only: a test, a demo. `records` holds it as stored (key `contacts`), checked on
 * each read as a file would be.
 */
export function memoryContactsStore(records: Map<string, unknown> = new Map()): ContactsStore {
  return {
    read: async () => {
      const saved = records.get("contacts");
      return saved === undefined ? {} : parseContacts(structuredClone(saved), "memory contacts");
    },
    write: async (contacts) => {
      records.set("contacts", sortContacts(structuredClone(contacts)));
    },
  };
}

/** A damaged book: `<where>: <what>`. */
export function damagedContacts(where: string, what: string, hint = HINT): ContactsFileError {
  return new ContactsFileError(`${where}: ${what}`, { hint });
}

const HINT = "fix or remove the entry by hand; the file is plain JSON";
