import type { Address } from "viem";
import { parseAddress } from "../address.ts";
import { ContactExistsError } from "../errors.ts";
import { normalizeContactName } from "./contact-name.ts";
import { type ContactsSource, contactsStoreOf } from "./contactsStoreOf.ts";

export type AddContactParameters = ContactsSource & {
  /** With or without '@'; stored in lower case. */
  name: string;
  /** Mixed case must be a valid EIP-55 checksum. */
  address: string;
};

export interface AddContactReturnType {
  name: string;
  address: Address;
}

/**
 * Adds `name → address` to the address book (`contacts`, or `$GRAM_HOME/contacts.json` with `home`). Refuses a name already taken (remove it first).
 *
 * @example
 * await addContact({ home, name: "bob", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
 */
export async function addContact({ name, address, ...source }: AddContactParameters): Promise<AddContactReturnType> {
  const key = normalizeContactName(name);
  const checksummed = parseAddress(address);
  const store = await contactsStoreOf(source);
  const contacts = await store.read();
  const existing = contacts[key];
  if (existing !== undefined) {
    throw new ContactExistsError(`contact @${key} already exists (${existing})`, {
      hint: `\`gram contacts remove ${key}\` first to point it at another address`,
    });
  }
  await store.write({ ...contacts, [key]: checksummed });
  return { name: key, address: checksummed };
}
