import type { Address } from "viem";
import { readContacts } from "./contacts-store.ts";

export interface ListContactsParameters {
  home: string;
}

export type ListContactsReturnType = { name: string; address: Address }[];

/**
 * The address book, sorted by name.
 *
 * @example
 * for (const { name, address } of await listContacts({ home })) console.log(`@${name} ${address}`);
 */
export async function listContacts({ home }: ListContactsParameters): Promise<ListContactsReturnType> {
  return Object.entries(await readContacts(home))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, address]) => ({ name, address }));
}
