// Who to put in a group: @names, contacts or addresses typed in one field, resolved as `gram chat` does
// (contacts first, then the hub's usernames). Used to create a group and to add members to one.
import type { Address } from "viem";
import { resolvePeer } from "../../../wallet/chat/resolvePeer.ts";
import type { ChatModel } from "./conversations.ts";

/** The addresses of the people in `text` (separated by commas or spaces); a group is refused as a member. */
export async function resolveMembers(model: ChatModel, text: string): Promise<Address[]> {
  const addresses: Address[] = [];
  for (const peer of text.split(/[\s,]+/).filter(Boolean)) {
    const resolved = await resolvePeer(model.session.chat, { contacts: model.session.client.stores.contacts, peer });
    if (resolved.address === undefined) throw new Error(`${peer}: a group's member is a person, not a group`);
    addresses.push(resolved.address);
  }
  return addresses;
}
