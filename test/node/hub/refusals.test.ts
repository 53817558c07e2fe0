// What the hub refuses to relay: a replayed envelope, a forged one (another signer, another chain, a
// from that is not the session's), one from a skewed clock, and more messages a minute than allowed.
// Each refusal leaves the receiver with nothing.
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatDomain, chatMessage, chatMessageTypes, signEnvelope } from "../../../protocol/chat/sign.ts";
import { DOMAIN } from "../../kit/constants.ts";
import { type ChatClient, signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const account = () => privateKeyToAccount(generatePrivateKey());
const alice = account();
const bob = account();
const mallory = account();
const RATE = 20;
let served: ServedHub;
let a: ChatClient;
let b: ChatClient;
let m: ChatClient;

beforeAll(async () => {
  served = await serveHub({ limits: { messagesPerMinute: RATE } });
  [a, b, m] = await Promise.all([signedIn(served, alice), signedIn(served, bob), signedIn(served, mallory)]);
});
afterAll(async () => {
  await served?.close();
});

const toBob = {
  to: { type: "direct", address: bob.address },
  body: { type: "text", text: "I paid you 1000 GRAM" },
} as const;

/** Nothing with this id ever reached bob. */
async function bobNeverGot(id: Hex) {
  await b.request({ op: "ping" });
  expect(b.frames.filter((frame) => frame.envelope?.id === id)).toEqual([]);
}

describe("the hub refuses", () => {
  it("a replayed envelope, even from the sender's own session", async () => {
    const { envelope, answer } = await a.say(toBob);
    expect(answer.type).toBe("sent");
    const replay = await a.request({ op: "send", envelope });
    expect(replay).toMatchObject({
      type: "error",
      code: "REPLAYED",
      message: `envelope.id: ${envelope.id} was already sent by ${alice.address}`,
    });
    await b.request({ op: "ping" });
    expect(b.frames.filter((frame) => frame.envelope?.id === envelope.id)).toHaveLength(1);
  });

  it("the same envelope sent twice at once: exactly one goes through", async () => {
    const envelope = await signEnvelope(alice, toBob, DOMAIN);
    const answers = await Promise.all([a.request({ op: "send", envelope }), a.request({ op: "send", envelope })]);
    expect(answers.map((answer) => answer.code ?? answer.type).sort()).toEqual(["REPLAYED", "sent"]);
  });

  it("an envelope signed by someone else than its from", async () => {
    const genuine = await signEnvelope(alice, toBob, DOMAIN);
    const signature = await mallory.signTypedData({
      domain: chatDomain(DOMAIN),
      types: chatMessageTypes,
      primaryType: "ChatMessage",
      message: chatMessage(genuine),
    });
    // Sent on alice's own session, so that only the signature is wrong.
    const answer = await a.request({ op: "send", envelope: { ...genuine, signature } });
    expect(answer).toMatchObject({ type: "error", code: "BAD_SIGNATURE" });
    expect(answer.message).toContain(`signed by ${mallory.address}, not by its from ${alice.address}`);
    await bobNeverGot(genuine.id);
  });

  it("an envelope from another address than the session's (impersonation)", async () => {
    const envelope = await signEnvelope(alice, toBob, DOMAIN);
    const answer = await m.request({ op: "send", envelope });
    expect(answer).toMatchObject({ type: "error", code: "IMPERSONATION" });
    expect(answer.message).toContain(`this session is signed in as ${mallory.address}`);
    await bobNeverGot(envelope.id);
  });

  it("an envelope signed for another chain", async () => {
    const envelope = await signEnvelope(alice, toBob, { ...DOMAIN, chainId: 1 });
    const answer = await a.request({ op: "send", envelope });
    expect(answer).toMatchObject({
      type: "error",
      code: "WRONG_CHAIN",
      message: "envelope is signed for chain 1, this reader is on chain 31337",
    });
    await bobNeverGot(envelope.id);
  });

  it("an envelope signed for another escrow", async () => {
    const envelope = await signEnvelope(alice, toBob, {
      ...DOMAIN,
      escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    });
    expect(await a.request({ op: "send", envelope })).toMatchObject({ type: "error", code: "BAD_SIGNATURE" });
    await bobNeverGot(envelope.id);
  });

  it("an envelope changed after signing", async () => {
    const envelope = await signEnvelope(alice, toBob, DOMAIN);
    const tampered = { ...envelope, body: { type: "text", text: "I paid you 9000 GRAM" } };
    expect(await a.request({ op: "send", envelope: tampered })).toMatchObject({ type: "error", code: "BAD_SIGNATURE" });
    await bobNeverGot(envelope.id);
  });

  it.each([
    ["ahead", 6 * 60_000, "ahead of"],
    ["behind", -6 * 60_000, "behind"],
  ])("an envelope whose clock is 6 minutes %s", async (_name, skew, words) => {
    const envelope = await signEnvelope(alice, { ...toBob, sentAt: Date.now() + skew }, DOMAIN);
    const answer = await a.request({ op: "send", envelope });
    expect(answer).toMatchObject({ type: "error", code: "CLOCK_SKEW" });
    expect(answer.message).toContain(`${words} the hub's clock; at most 300 s allowed`);
    await bobNeverGot(envelope.id);
  });

  it.each([
    ["just past what a date holds", 8.64e15 + 1],
    ["at 2^53 − 1", Number.MAX_SAFE_INTEGER],
  ])("an envelope whose sentAt is %s, refused as malformed (never INTERNAL)", async (_name, sentAt) => {
    // Signed by hand: signEnvelope checks its draft and would refuse it before signing.
    const draft = await signEnvelope(alice, toBob, DOMAIN);
    const signature = await alice.signTypedData({
      domain: chatDomain(DOMAIN),
      types: chatMessageTypes,
      primaryType: "ChatMessage",
      message: chatMessage({ ...draft, sentAt }),
    });
    const answer = await a.request({ op: "send", envelope: { ...draft, sentAt, signature } });
    expect(answer).toMatchObject({
      type: "error",
      code: "MALFORMED",
      message: "envelope.sentAt: expected unix milliseconds a date can hold (at most 8640000000000000)",
    });
    await bobNeverGot(draft.id);
    // The last millisecond a date holds is a date: only the clock refuses it.
    const last = await signEnvelope(alice, { ...toBob, sentAt: 8.64e15 }, DOMAIN);
    expect(await a.request({ op: "send", envelope: last })).toMatchObject({ type: "error", code: "CLOCK_SKEW" });
  });

  it(`more than ${RATE} messages a minute from one address, on any connection`, async () => {
    const sender = privateKeyToAccount(generatePrivateKey());
    const [one, two] = await Promise.all([signedIn(served, sender), signedIn(served, sender)]);
    const envelopes = await Promise.all(
      Array.from({ length: RATE + 5 }, (_, i) =>
        signEnvelope(sender, { ...toBob, body: { type: "text", text: `${i}` } }, DOMAIN),
      ),
    );
    const answers = await Promise.all(
      envelopes.map((envelope, i) => (i % 2 ? one : two).request({ op: "send", envelope })),
    );
    expect(answers.filter((answer) => answer.type === "sent")).toHaveLength(RATE);
    const limited = answers.filter((answer) => answer.type === "error");
    expect(limited).toHaveLength(5);
    expect(limited[0]).toMatchObject({ code: "RATE_LIMITED" });
    expect(limited[0].message).toMatch(/^more than 20 messages a minute from this address; retry in \d+ s$/);
    // Others are not limited by it.
    expect((await a.say({ ...toBob, body: { type: "text", text: "still fine" } })).answer.type).toBe("sent");
    await Promise.all([one.close(), two.close()]);
  });
});
