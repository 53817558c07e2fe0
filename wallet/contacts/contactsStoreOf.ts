import type { ContactsStore } from "./contacts-book.ts";

/** Where an action finds the address book: a store (a page, a test), or the CLI's home folder. */
export type ContactsSource = { contacts: ContactsStore; home?: undefined } | { home: string; contacts?: undefined };

/**
 * The store of `source`: the one given, or the file in `home`. The file store is loaded only when a home
 * folder is given, so a page that passes its own store never loads Node's file system.
 *
 * @example
 * const book = await (await contactsStoreOf({ home })).read();
 */
export async function contactsStoreOf(source: ContactsSource): Promise<ContactsStore> {
  if (source.contacts !== undefined) return source.contacts;
  const { fileContactsStore } = await import("./contacts-store.ts");
  return fileContactsStore(source.home);
}
