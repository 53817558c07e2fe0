import type { Address } from "viem";
import { normalizeContactName } from "./contact-name.ts";
import { readContacts, writeContacts } from "./contacts-store.ts";
import { unknownContact } from "./unknownContact.ts";

export interface RemoveContactParameters {
  home: string;
  name: string;
}

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
export async function removeContact({ home, name }: RemoveContactParameters): Promise<RemoveContactReturnType> {
  const key = normalizeContactName(name);
  const { [key]: address, ...rest } = await readContacts(home);
  if (address === undefined) throw unknownContact(key, Object.keys(rest));
  await writeContacts(home, rest);
  return { name: key, address };
}
