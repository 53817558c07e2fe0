import type { Address } from "viem";
import { foldName } from "../../protocol/chat/username.ts";
import { parseAddress } from "../address.ts";
import { InvalidAddressError } from "../errors.ts";
import { normalizeContactName } from "./contact-name.ts";
import { type ContactsSource, contactsStoreOf } from "./contactsStoreOf.ts";
import { unknownContact } from "./unknownContact.ts";

export type ResolveRecipientParameters = ContactsSource & {
  /** `@name` from the address book, or an address (EIP-55 checked when mixed case). */
  recipient: string;
};

export interface ResolveRecipientReturnType {
  address: Address;
  /** The contact it came from, when it was `@name`. */
  contact: string | undefined;
}

/**
 * Turns what a user typed as a recipient into an address: the one place `@name` is resolved, so that
 * every command reads recipients the same way.
 *
 * @example
 * const { address } = await resolveRecipient({ home, recipient: "@bob" });
 */
export async function resolveRecipient({
  recipient,
  ...source
}: ResolveRecipientParameters): Promise<ResolveRecipientReturnType> {
  // Folded first, as the name is: a full-width '＠' is an '@' too.
  if (foldName(recipient).startsWith("@")) {
    const name = normalizeContactName(recipient);
    const contacts = await (await contactsStoreOf(source)).read();
    const address = contacts[name];
    if (address === undefined) throw unknownContact(name, Object.keys(contacts));
    return { address, contact: name };
  }
  if (recipient.startsWith("0x")) return { address: parseAddress(recipient, "recipient"), contact: undefined };
  const contacts = await (await contactsStoreOf(source)).read();
  const lower = foldName(recipient);
  throw new InvalidAddressError(
    `recipient '${recipient.replace(/[^\x20-\x7e]/g, "?")}' is neither an address (0x and 40 hex digits) nor a contact (@name)`,
    contacts[lower] === undefined ? {} : { hint: `did you mean @${lower}?` },
  );
}
