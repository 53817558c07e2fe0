// readChatHistory against the fake hub of fake-hub.ts: each message verified, a message repeated is no
// replay (history repeats by design), a message of another conversation is NOT_IN_CONVERSATION, a forged
// one BAD_SIGNATURE; and an answer of another kind is the hub's failure.
import { describe, expect, it } from "vitest";
import { conversationOf } from "../../../protocol/chat/envelope.ts";
import { type EnvelopeDraft, signEnvelope } from "../../../protocol/chat/sign.ts";
import { ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { readChatHistory } from "../../../wallet/chat/readChatHistory.ts";
import { DOMAIN } from "../../kit/constants.ts";
import { chatAnswering } from "../../kit/fake-hub.ts";
import { alice, bob, carol } from "../../protocol/chat/helpers.ts";

const toAlice = (text: string): EnvelopeDraft => ({
  to: { type: "direct", address: alice.address },
  body: { type: "text", text },
});

describe("readChatHistory", () => {
  it("verifies each message of the page; a repeat is no replay, another conversation's message is refused", async () => {
    const hello = await signEnvelope(bob, toAlice("hello"), DOMAIN);
    const fromCarol = await signEnvelope(carol, toAlice("not in bob's chat"), DOMAIN);
    const forged = { ...(await signEnvelope(carol, toAlice("FORGED"), DOMAIN)), from: bob.address };
    const { hub, chat } = await chatAnswering(alice, "history", (frame) => ({
      type: "history",
      conversation: conversationOf(alice.address, frame.conversation),
      messages: [
        { index: 4, envelope: hello },
        { index: 5, envelope: hello },
        { index: 6, envelope: fromCarol },
        { index: 7, envelope: forged },
      ],
      more: true,
    }));
    const page = await readChatHistory(chat, { type: "direct", address: bob.address }, { before: 8, limit: 4 });
    expect(page.conversation).toBe(conversationOf(alice.address, { type: "direct", address: bob.address }));
    expect(page.more).toBe(true);
    expect(page.messages.map(({ index, checked }) => [index, "code" in checked ? checked.code : "ok"])).toEqual([
      [4, "ok"],
      [5, "ok"],
      [6, "NOT_IN_CONVERSATION"],
      [7, "BAD_SIGNATURE"],
    ]);
    expect(hub.received.find((f) => f.op === "history")).toMatchObject({
      conversation: { type: "direct", address: bob.address },
      before: 8,
      limit: 4,
    });
  });

  it("an answer of another kind is the hub's failure", async () => {
    const { chat } = await chatAnswering(alice, "history", () => ({ type: "groups", groups: [] }));
    const failed = await readChatHistory(chat, { type: "direct", address: bob.address }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ChatUnavailableError);
    expect((failed as ChatUnavailableError).shortMessage).toBe(
      "the chat hub answered a history request with something else",
    );
  });
});
