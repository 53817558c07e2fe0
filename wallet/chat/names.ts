import type { Address } from "viem";
import type { ContactsStore } from "../contacts/contacts-book.ts";
import { contactsStoreOf } from "../contacts/contactsStoreOf.ts";
import type { ChatConnection } from "./connectChat.ts";
import { lookupUser } from "./lookupUser.ts";

export interface NameBook {
  /** `@bob` for a contact, `~bob` for a username from the hub, else the address. Never throws. */
  label(address: Address): Promise<string>;
  /** What `label` would say, from what is known already; the address otherwise. */
  known(address: Address): string;
}

/**
 * Names for addresses as a chat shows them: the wallet's contacts first (the user's own word), then the
 * hub's usernames, marked apart (`~name`: the hub says so; anyone may register any free name).
 *
 * @example
 * const names = await createNameBook(chat, home); // or a `ContactsStore`
 * console.log(`${await names.label(envelope.from)}: ${text}`);
 */
export async function createNameBook(
  chat: Pick<ChatConnection, "request">,
  contacts: string | ContactsStore,
): Promise<NameBook> {
  const book = await (await contactsStoreOf(typeof contacts === "string" ? { home: contacts } : { contacts }))
    .read()
    .catch(() => ({}));
  const labels = new Map<string, string>();
  for (const [name, address] of Object.entries(book)) labels.set(address.toLowerCase(), `@${name}`);
  const asked = new Map<string, Promise<string>>();
  return {
    label(address) {
      const key = address.toLowerCase();
      const known = labels.get(key);
      if (known !== undefined) return Promise.resolve(known);
      let answer = asked.get(key);
      if (answer === undefined) {
        answer = lookupUser(chat, { address })
          .then(({ username }) => (username === null ? address : `~${username}`))
          .catch(() => address);
        answer.then((label) => labels.set(key, label));
        asked.set(key, answer);
      }
      return answer;
    },
    known: (address) => labels.get(address.toLowerCase()) ?? address,
  };
}
