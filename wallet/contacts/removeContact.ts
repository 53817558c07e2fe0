import type { Address } from "viem";
import { normalizeContactName } from "./contact-name.ts";
import { type ContactsSource, contactsStoreOf } from "./contactsStoreOf.ts";
import { unknownContact } from "./unknownContact.ts";

export type RemoveContactParameters = ContactsSource & { name: string };

export interface RemoveContactReturnType {
  name: string;
  /** The address it pointed at. */
  address: Address;
}

/**
 * Removes a contact; an unknown name is an error that lists close names.
 *
 * @example
 * await removeContact({ home, name: "@bob" });
 */
export async function removeContact({ name, ...source }: RemoveContactParameters): Promise<RemoveContactReturnType> {
  const key = normalizeContactName(name);
  const store = await contactsStoreOf(source);
  const { [key]: address, ...rest } = await store.read();
  if (address === undefined) throw unknownContact(key, Object.keys(rest));
  await store.write(rest);
  return { name: key, address };
}
