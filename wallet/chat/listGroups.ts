import type { GroupInfo } from "../../protocol/chat/frames.ts";
import type { ChatConnection } from "./connectChat.ts";
import { expectAnswer } from "./expectAnswer.ts";

/**
 * The groups this account is in, as the hub has them.
 *
 * @example
 * for (const group of await listGroups(chat)) console.log(group.name, group.members.length);
 */
export async function listGroups(chat: Pick<ChatConnection, "request">): Promise<GroupInfo[]> {
  return expectAnswer(await chat.request({ op: "groups" }), "groups").groups;
}
