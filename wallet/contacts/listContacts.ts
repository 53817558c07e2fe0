import type { Address } from "viem";
import { type ContactsSource, contactsStoreOf } from "./contactsStoreOf.ts";

export type ListContactsParameters = ContactsSource;

export type ListContactsReturnType = { name: string; address: Address }[];

/**
 * The address book, sorted by name.
 *
 * @example
 * for (const { name, address } of await listContacts({ home })) console.log(`@${name} ${address}`);
 */
export async function listContacts(source: ListContactsParameters): Promise<ListContactsReturnType> {
  return Object.entries(await (await contactsStoreOf(source)).read())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, address]) => ({ name, address }));
}
