import type { Address } from "viem";
import type { GroupInfo } from "../../protocol/chat/frames.ts";
import type { ChatConnection } from "./connectChat.ts";
import { expectAnswer } from "./expectAnswer.ts";

export interface CreateGroupParameters {
  name: string;
  /** The other members; the hub adds this account. */
  members: Address[];
}

/**
 * Creates a group on the hub; every member (this account too) gets it in its inbox as a `group` entry.
 *
 * @example
 * const group = await createGroup(chat, { name: "friday pizza", members: [bob, carol] });
 * await sendText(chat, { type: "group", id: group.id }, "pizza on friday?");
 */
export async function createGroup(
  chat: Pick<ChatConnection, "request">,
  { name, members }: CreateGroupParameters,
): Promise<GroupInfo> {
  return expectAnswer(await chat.request({ op: "group.create", name, members }), "created").group;
}
