import type { Address, Hex } from "viem";
import type { ConversationTarget } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import { foldName, normalizeUsername } from "../../protocol/chat/username.ts";
import { parseAddress } from "../address.ts";
import { normalizeContactName } from "../contacts/contact-name.ts";
import { type ContactsSource, contactsStoreOf } from "../contacts/contactsStoreOf.ts";
import { WalletError } from "../errors.ts";
import type { ChatConnection } from "./connectChat.ts";
import { InvalidChatPeerError, UnknownChatUserError } from "./errors.ts";
import { lookupUser } from "./lookupUser.ts";

export interface ResolvedPeer {
  target: ConversationTarget;
  /** The other party of a direct chat. */
  address: Address | undefined;
  /** How to name it: `@bob` (a contact), `~bob` (a username from the hub), the address, or `group 0x…`. */
  label: string;
  source: "contacts" | "hub" | "address" | "group";
  /** The hub's username, when the hub named it (`source: "hub"`). */
  username?: string | undefined;
}

/**
 * Turns what a user typed into a chat target: `@name` from the wallet's contacts first, then the hub's
 * usernames (a username is the hub's word; a contact is the user's own), an address, or a group id
 * (32 bytes of hex). The name is folded once (`foldName`: NFKC, lower case) for both books, so any
 * spelling of a contact's name (`@ａｌｉｃｅ`, `@ALICE`) is that contact, whoever holds it on the hub. Throws `UnknownChatUserError` for a name nobody has, `InvalidChatPeerError` for
 * anything else.
 *
 * @example
 * const { target } = await resolvePeer(chat, { home, peer: "@bob" }); // or { contacts: store, peer }
 */
export async function resolvePeer(
  chat: Pick<ChatConnection, "request">,
  { peer, ...source }: ContactsSource & { peer: string },
): Promise<ResolvedPeer> {
  const folded = foldName(peer);
  if (folded.startsWith("@")) {
    const contacts = await (await contactsStoreOf(source)).read();
    let contact: string | undefined;
    try {
      contact = normalizeContactName(folded);
    } catch (error) {
      if (!(error instanceof WalletError)) throw error;
    }
    const saved = contact === undefined ? undefined : contacts[contact];
    if (saved !== undefined) {
      return { target: { type: "direct", address: saved }, address: saved, label: `@${contact}`, source: "contacts" };
    }
    let username: string;
    try {
      username = normalizeUsername(folded.slice(1));
    } catch (error) {
      if (!(error instanceof ChatProtocolError)) throw error;
      throw new UnknownChatUserError(`${clip(peer)} is not a contact, nor a valid username`, {
        details: error.shortMessage,
        hint: "`gram contacts list` shows your contacts",
      });
    }
    const found = await lookupUser(chat, { username });
    if (found.address === null) {
      throw new UnknownChatUserError(`@${username} is neither a contact nor a user of this chat hub`, {
        hint: "check the spelling, or add the address with `gram contacts add`",
      });
    }
    return {
      target: { type: "direct", address: found.address },
      address: found.address,
      label: `~${username}`,
      source: "hub",
      username,
    };
  }
  if (/^0x[0-9a-fA-F]{64}$/.test(peer)) {
    const id = peer.toLowerCase() as Hex;
    return { target: { type: "group", id }, address: undefined, label: `group ${id.slice(0, 10)}`, source: "group" };
  }
  if (peer.startsWith("0x")) {
    const address = parseAddress(peer, "peer");
    return { target: { type: "direct", address }, address, label: address, source: "address" };
  }
  throw new InvalidChatPeerError(
    `peer '${clip(peer)}' is not @name, an address (0x and 40 hex digits) or a group id (0x and 64 hex digits)`,
  );
}

function clip(text: string) {
  return (text.length > 40 ? `${text.slice(0, 37)}...` : text).replace(/[^\x20-\x7e]/g, "?");
}
