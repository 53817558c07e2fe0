// Sign-In with Ethereum on the real hub: a good sign-in binds the connection to the address; a wrong
// domain, URI, chain, an expired or replayed nonce or someone else's signature are refused, and nothing
// but challenge, signin and ping is served before it.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatSignIn } from "../../../protocol/chat/siwe.ts";
import { chatClient } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const alice = privateKeyToAccount(generatePrivateKey());
const bob = privateKeyToAccount(generatePrivateKey());
const clock = { offsetMs: 0 };
let served: ServedHub;

beforeAll(async () => {
  served = await serveHub({ clock, limits: { signInTimeoutMs: 1_500 } });
});
afterAll(async () => {
  await served?.close();
});

describe("sign-in", () => {
  it("binds the connection to the signer and welcomes it", async () => {
    const client = await chatClient(served);
    const challenge = await client.request({ op: "challenge" });
    const port = new URL(served.wsUrl).port;
    expect(challenge).toMatchObject({
      type: "challenge",
      domain: `127.0.0.1:${port}`,
      uri: served.wsUrl,
      chainId: 31337,
    });
    expect(challenge.nonce).toMatch(/^[0-9a-f]{32}$/);
    const message = createChatSignIn({ address: alice.address, challenge: challenge as never });
    const welcome = await client.request({ op: "signin", message, signature: await alice.signMessage({ message }) });
    expect(welcome).toMatchObject({ type: "welcome", address: alice.address, username: null, lastSeq: 0, ackedSeq: 0 });
    expect((await client.request({ op: "groups" })).type).toBe("groups");
    await client.close();
  });

  it("gives every connection and every challenge a fresh nonce", async () => {
    const a = await chatClient(served);
    const b = await chatClient(served);
    const nonces = [
      await a.request({ op: "challenge" }),
      await a.request({ op: "challenge" }),
      await b.request({ op: "challenge" }),
    ];
    expect(new Set(nonces.map((frame) => frame.nonce)).size).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  const refusals: Array<[string, (message: string) => string, string]> = [
    ["another domain", (m) => m.replace(/^127\.0\.0\.1:\d+/, "evil.example"), 'domain: got "evil.example"'],
    ["another URI", (m) => m.replace(/URI: .*/, "URI: ws://evil.example/v1/chat"), "URI: got"],
    ["another chain", (m) => m.replace("Chain ID: 31337", "Chain ID: 1"), "chain id: got 1, expected 31337"],
    [
      "another nonce",
      (m) => m.replace(/Nonce: \w+/, "Nonce: aaaaaaaaaaaaaaaa"),
      "nonce: not the one this connection was given",
    ],
  ];

  it.each(refusals)("refuses a message for %s", async (_name, tamper, message) => {
    const client = await chatClient(served);
    const answer = await client.signIn(alice, tamper);
    expect(answer).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
    expect(answer.message).toContain(message);
    // Still not signed in.
    expect(await client.request({ op: "groups" })).toMatchObject({ type: "error", code: "NOT_SIGNED_IN" });
    await client.close();
  });

  it("refuses someone else's signature", async () => {
    const client = await chatClient(served);
    const challenge = await client.request({ op: "challenge" });
    const message = createChatSignIn({ address: alice.address, challenge: challenge as never });
    const answer = await client.request({ op: "signin", message, signature: await bob.signMessage({ message }) });
    expect(answer).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
    expect(answer.message).toContain(`the signature is not ${alice.address}'s signature`);
    await client.close();
  });

  it("refuses an expired message", async () => {
    const client = await chatClient(served);
    const challenge = await client.request({ op: "challenge" });
    const message = createChatSignIn({ address: alice.address, challenge: challenge as never, ttlMs: 60_000 });
    clock.offsetMs = 2 * 60_000;
    try {
      const answer = await client.request({ op: "signin", message, signature: await alice.signMessage({ message }) });
      expect(answer).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
      expect(answer.message).toContain("the message expired");
    } finally {
      clock.offsetMs = 0;
    }
    await client.close();
  });

  it("refuses a challenge older than ten minutes", async () => {
    const client = await chatClient(served);
    const challenge = await client.request({ op: "challenge" });
    clock.offsetMs = 11 * 60_000;
    try {
      const message = createChatSignIn({
        address: alice.address,
        challenge: challenge as never,
        issuedAt: new Date(Date.now() + clock.offsetMs),
      });
      const answer = await client.request({ op: "signin", message, signature: await alice.signMessage({ message }) });
      expect(answer).toMatchObject({
        type: "error",
        code: "SIGNIN_FAILED",
        message: "sign-in: the challenge expired; ask for a new one",
      });
    } finally {
      clock.offsetMs = 0;
    }
    await client.close();
  });

  it("spends a nonce on the first attempt: the same signed message is refused the second time", async () => {
    const client = await chatClient(served);
    const challenge = await client.request({ op: "challenge" });
    const message = createChatSignIn({ address: alice.address, challenge: challenge as never });
    const signature = await alice.signMessage({ message });
    expect((await client.request({ op: "signin", message, signature: `0x${"00".repeat(65)}` })).code).toBe(
      "SIGNIN_FAILED",
    );
    const again = await client.request({ op: "signin", message, signature });
    expect(again).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
    expect(again.message).toContain('no nonce to sign: send {"op":"challenge"} first');
    await client.close();
  });

  it("refuses a signed-in message replayed on another connection", async () => {
    const first = await chatClient(served);
    const challenge = await first.request({ op: "challenge" });
    const message = createChatSignIn({ address: alice.address, challenge: challenge as never });
    const signature = await alice.signMessage({ message });
    expect((await first.request({ op: "signin", message, signature })).type).toBe("welcome");
    const thief = await chatClient(served);
    await thief.request({ op: "challenge" });
    const answer = await thief.request({ op: "signin", message, signature });
    expect(answer).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
    expect(answer.message).toContain("nonce: not the one this connection was given");
    await Promise.all([first.close(), thief.close()]);
  });

  it("refuses a second sign-in on a signed-in connection", async () => {
    const client = await chatClient(served);
    expect((await client.signIn(alice)).type).toBe("welcome");
    const answer = await client.request({ op: "challenge" });
    expect(answer).toMatchObject({ type: "error", code: "SIGNIN_FAILED" });
    expect(answer.message).toContain("already signed in as");
    await client.close();
  });

  it.each(["register", "lookup", "send", "sync", "ack", "history", "group.create", "groups"])(
    "serves no %s before sign-in",
    async (op) => {
      const client = await chatClient(served);
      const frames: Record<string, Record<string, unknown>> = {
        register: { username: "alice" },
        lookup: { username: "alice" },
        sync: { after: 0 },
        ack: { seq: 0 },
        history: { conversation: { type: "direct", address: alice.address } },
        "group.create": { name: "x", members: [alice.address] },
      };
      const answer = await client.request({ op, ...frames[op] });
      expect(answer).toMatchObject({ type: "error", code: "NOT_SIGNED_IN" });
      expect(answer.message).toContain(`op "${op}" needs a signed-in connection`);
      expect((await client.request({ op: "ping" })).type).toBe("pong");
      await client.close();
    },
  );

  it("closes a connection that does not sign in in time", async () => {
    const client = await chatClient(served);
    expect(await client.closed).toEqual({ code: 1008, reason: "sign in within 1.5 s" });
    const other = await chatClient(served);
    expect((await other.signIn(bob)).type).toBe("welcome");
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(other.socket.readyState).toBe(other.socket.OPEN);
    await other.close();
  });
});
