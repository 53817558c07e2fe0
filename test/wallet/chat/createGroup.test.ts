// createGroup against the fake hub of fake-hub.ts: the name and members asked for, the group the hub made,
// and an answer that does not parse taken as the hub's failure.
import { describe, expect, it } from "vitest";
import { createGroup } from "../../../wallet/chat/createGroup.ts";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice, bob, carol, GROUP_ID } from "../../protocol/chat/helpers.ts";

describe("createGroup", () => {
  it("asks for the group and returns the one the hub made, its creator first", async () => {
    const { hub, chat } = await chatAnswering(alice, "group.create", (frame) => ({
      type: "created",
      seq: 1,
      group: {
        id: GROUP_ID,
        name: frame.name,
        creator: alice.address,
        members: [alice.address, ...frame.members],
        createdAt: 1,
      },
    }));
    const group = await createGroup(chat, { name: "pizza", members: [bob.address, carol.address] });
    expect(group).toEqual({
      id: GROUP_ID,
      name: "pizza",
      creator: alice.address,
      members: [alice.address, bob.address, carol.address],
      createdAt: 1,
    });
    expect(hub.received.find((f) => f.op === "group.create")).toMatchObject({
      name: "pizza",
      members: [bob.address, carol.address],
    });
  });

  it("a group that does not parse is the hub's failure", async () => {
    const { chat } = await chatAnswering(alice, "group.create", () => ({
      type: "created",
      seq: 1,
      group: { id: "0x12", name: "pizza" },
    }));
    const failed = await createGroup(chat, { name: "pizza", members: [bob.address] }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
    expect((failed as ChatUnavailableError).shortMessage).toBe(
      'the chat hub answered with something other than "created"',
    );
  });
});
