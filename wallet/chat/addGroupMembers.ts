import type { Address } from "viem";
import type { GroupInfo } from "../../protocol/chat/frames.ts";
import type { ChatConnection } from "./connectChat.ts";
import { expectAnswer } from "./expectAnswer.ts";

export interface AddGroupMembersParameters {
  /** The group's id (this account must be a member). */
  group: GroupInfo["id"];
  /** The accounts to add; ones already in the group are refused as a whole if none is new. */
  members: Address[];
}

/**
 * Adds members to a group this account is in; every member, old and new, gets the group again in its
 * inbox (a `group` entry with the new member list), so a new member sees the group and may read its
 * history.
 *
 * @example
 * const group = await addGroupMembers(chat, { group: friday.id, members: [dave] });
 */
export async function addGroupMembers(
  chat: Pick<ChatConnection, "request">,
  { group, members }: AddGroupMembersParameters,
): Promise<GroupInfo> {
  return expectAnswer(await chat.request({ op: "group.add", group, members }), "added").group;
}
