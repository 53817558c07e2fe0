// Inbox entries read into events on their own (createInboxEvents): a message verified and remembered, so
// that the same message again is REPLAYED (even after a restart, from the state); a status or a group that
// does not parse is MALFORMED; a group this account is in is kept in the state, another is not.
import { describe, expect, it } from "vitest";
import { signEnvelope } from "../../../protocol/chat/sign.ts";
import { emptyChatState } from "../../../wallet/chat/chat-state.ts";
import { createInboxEvents } from "../../../wallet/chat/createInboxEvents.ts";
import { DOMAIN } from "../../kit/constants.ts";
import { alice, bob, carol, GROUP_ID } from "../../protocol/chat/helpers.ts";

const hello = () =>
  signEnvelope(bob, { to: { type: "direct", address: alice.address }, body: { type: "text", text: "hi" } }, DOMAIN);

describe("createInboxEvents", () => {
  it("verifies a message and remembers it: the same one again is REPLAYED, after a restart too", async () => {
    const state = emptyChatState();
    const read = createInboxEvents({ domain: DOMAIN, me: alice.address, state });
    const envelope = await hello();
    const first = await read(1, { type: "message", seq: 1, envelope });
    expect(first).toMatchObject({
      type: "message",
      seq: 1,
      message: { outgoing: false, envelope: { id: envelope.id } },
    });
    expect(state.seen).toHaveLength(1);
    expect(await read(2, { type: "message", seq: 2, envelope })).toMatchObject({
      type: "rejected",
      seq: 2,
      rejection: { code: "REPLAYED", id: envelope.id },
    });
    const again = createInboxEvents({ domain: DOMAIN, me: alice.address, state });
    expect(await again(3, { type: "message", seq: 3, envelope })).toMatchObject({ rejection: { code: "REPLAYED" } });
  });

  it("rejects a message for someone else, and a forged one, without remembering either", async () => {
    const state = emptyChatState();
    const read = createInboxEvents({ domain: DOMAIN, me: carol.address, state });
    expect(await read(1, { type: "message", seq: 1, envelope: await hello() })).toMatchObject({
      rejection: { code: "NOT_FOR_YOU" },
    });
    const forged = { ...(await hello()), from: carol.address };
    expect(await read(2, { type: "message", seq: 2, envelope: forged })).toMatchObject({
      rejection: { code: "BAD_SIGNATURE" },
    });
    expect(state.seen).toEqual([]);
  });

  it("a status or a group that does not parse is MALFORMED", async () => {
    const read = createInboxEvents({ domain: DOMAIN, me: alice.address, state: emptyChatState() });
    expect(await read(1, { type: "status", seq: 1, status: { state: "paid-twice" } })).toEqual({
      type: "rejected",
      seq: 1,
      rejection: { id: undefined, from: undefined, code: "MALFORMED", reason: "a status the hub sent is malformed" },
    });
    expect(await read(2, { type: "group", seq: 2, group: { id: "0x12" } })).toMatchObject({
      rejection: { code: "MALFORMED", reason: "a group the hub sent is malformed" },
    });
  });

  it("keeps a group this account is in, once, by its id; not another's", async () => {
    const state = emptyChatState();
    const read = createInboxEvents({ domain: DOMAIN, me: alice.address, state });
    const group = (name: string, members: string[]) => ({
      id: GROUP_ID,
      name,
      creator: bob.address,
      members,
      createdAt: 1_700_000_000_000,
    });
    const event = await read(1, { type: "group", seq: 1, group: group("pizza", [bob.address, alice.address]) });
    expect(event).toMatchObject({ type: "group", seq: 1, group: { name: "pizza" } });
    await read(2, { type: "group", seq: 2, group: group("pizza friday", [bob.address, alice.address]) });
    expect(state.groups).toEqual([{ id: GROUP_ID, name: "pizza friday", members: [bob.address, alice.address] }]);
    const others = emptyChatState();
    await createInboxEvents({ domain: DOMAIN, me: carol.address, state: others })(1, {
      type: "group",
      seq: 1,
      group: group("pizza", [bob.address, alice.address]),
    });
    expect(others.groups).toEqual([]);
  });
});
