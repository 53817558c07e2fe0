// addGroupMembers against the fake hub of fake-hub.ts: the group and members asked for, the new member
// list the hub answers with, a refusal passed on, and an answer that does not parse taken as the hub's failure.
import { describe, expect, it } from "vitest";
import { addGroupMembers } from "../../../wallet/chat/addGroupMembers.ts";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice, bob, carol, GROUP_ID } from "../../protocol/chat/helpers.ts";

describe("addGroupMembers", () => {
  it("asks to add the members and returns the group with them", async () => {
    const { hub, chat } = await chatAnswering(bob, "group.add", (frame) => ({
      type: "added",
      seq: 7,
      group: {
        id: frame.group,
        name: "pizza",
        creator: alice.address,
        members: [alice.address, bob.address, ...frame.members],
        createdAt: 1,
      },
    }));
    const group = await addGroupMembers(chat, { group: GROUP_ID, members: [carol.address] });
    expect(group.members).toEqual([alice.address, bob.address, carol.address]);
    expect(hub.received.find((f) => f.op === "group.add")).toMatchObject({ group: GROUP_ID, members: [carol.address] });
  });

  it("passes the hub's refusal on with its code", async () => {
    const { chat } = await chatAnswering(carol, "group.add", () => ({
      type: "error",
      code: "NOT_MEMBER",
      message: `group ${GROUP_ID}: ${carol.address} is not a member`,
    }));
    const failed = await addGroupMembers(chat, { group: GROUP_ID, members: [carol.address] }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: "CHAT_NOT_MEMBER", hubCode: "NOT_MEMBER" });
  });

  it("a group that does not parse is the hub's failure", async () => {
    const { chat } = await chatAnswering(bob, "group.add", () => ({ type: "added", seq: 1, group: { id: "0x12" } }));
    const failed = await addGroupMembers(chat, { group: GROUP_ID, members: [carol.address] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
  });
});
