// listGroups against the fake hub of fake-hub.ts: the groups as the hub has them, and an answer of another
// kind taken as the hub's failure.
import { describe, expect, it } from "vitest";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { listGroups } from "../../../wallet/chat/listGroups.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice, bob, GROUP_ID } from "../../protocol/chat/helpers.ts";

describe("listGroups", () => {
  it("returns the groups the hub has for this account", async () => {
    const group = {
      id: GROUP_ID,
      name: "pizza",
      creator: bob.address,
      members: [bob.address, alice.address],
      createdAt: 5,
    };
    const { chat } = await chatAnswering(alice, "groups", () => ({ type: "groups", groups: [group] }));
    expect(await listGroups(chat)).toEqual([group]);
  });

  it("an answer of another kind is the hub's failure", async () => {
    const { chat } = await chatAnswering(alice, "groups", () => ({ type: "user", username: null, address: null }));
    const failed = await listGroups(chat).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
    expect((failed as ChatUnavailableError).shortMessage).toBe(
      'the chat hub answered with something other than "groups"',
    );
  });
});
