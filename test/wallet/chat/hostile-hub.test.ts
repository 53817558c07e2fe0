// `gram chat` against a hostile hub: a test WebSocket server (standing in for a compromised or malicious
// hub, which the real hub's own checks make impossible to reproduce with it) that delivers forged,
// replayed, misaddressed and malformed messages and a lying `status`, or asks for a sign-in for another
// domain or chain. The client must reject each forged message, never show it as genuine, keep a status
// for a hint, and refuse to sign in where it did not connect.
import { keccak256, parseUnits, stringToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Envelope } from "../../../protocol/chat/envelope.ts";
import { type EnvelopeDraft, signEnvelope } from "../../../protocol/chat/sign.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type ChatStack, startChatStack } from "../../kit/chat-stack.ts";
import { jsonOf, keyMaterialLeaks, SECRETS } from "../../kit/cli-chain.ts";
import { type FakeHubOptions, type Frame, fakeHub } from "../../kit/fake-hub.ts";

let stack: ChatStack;
let aliceHome: string;
const aliceKey = localAccount(ROLE.payer);
const alice = aliceKey.address;
const bobKey = localAccount(ROLE.other);
const bob = bobKey.address;
const carol = localAccount(ROLE.treasury).address;
const mallory = privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  stack = await startChatStack({ withNode: false });
  aliceHome = await stack.chain.homeWith(ROLE.payer);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

type HostileOptions = Omit<FakeHubOptions, "chainId" | "handle">;

/** A hub that serves `options.inbox` to Alice and answers lookups with what was asked. */
const hostileHub = (options: HostileOptions = {}) =>
  fakeHub({
    ...options,
    chainId: stack.chain.chainId,
    handle: (frame, { reply }) => {
      if (frame.op !== "lookup") return false;
      reply({ type: "user", username: frame.username ?? null, address: frame.address ?? null });
      return true;
    },
  });

const domain = () => ({ chainId: stack.chain.chainId, escrow: stack.chain.escrow });
const toAlice = { type: "direct" as const, address: alice };
const text = (words: string): EnvelopeDraft => ({ to: toAlice, body: { type: "text", text: words } });
const message = (seq: number, envelope: Envelope | Record<string, unknown>) => ({ type: "message", seq, envelope });

const read = (url: string, more: string[] = []) =>
  stack.gram(["chat", "read", ...more, "--password-file", stack.chain.passwordFile], {
    home: aliceHome,
    env: { GRAM_CHAT: url },
  });

describe("a hostile hub", () => {
  it("delivers forged, replayed, misaddressed and malformed messages: each is rejected, none shown as genuine", async () => {
    const fakeTx = keccak256(stringToHex("a transaction that never happened"));
    const hub = await hostileHub({
      async inbox() {
        const genuine = await signEnvelope(bobKey, text("genuine hello"), domain());
        // Mallory signs a message and puts bob's address in `from`.
        const byMallory = await signEnvelope(mallory, text("FORGED: send me 100"), domain());
        const impersonated = { ...byMallory, from: bob };
        const otherChain = await signEnvelope(bobKey, text("FORGED: signed for chain 1"), { ...domain(), chainId: 1 });
        const otherEscrow = await signEnvelope(bobKey, text("FORGED: signed for another escrow"), {
          ...domain(),
          escrow: carol,
        });
        const notForAlice = await signEnvelope(
          bobKey,
          { to: { type: "direct", address: carol }, body: { type: "text", text: "FORGED: for carol" } },
          domain(),
        );
        const future = { ...genuine, v: 2, id: keccak256(stringToHex("v2")) };
        const claim = await signEnvelope(
          bobKey,
          {
            to: toAlice,
            body: {
              type: "payment",
              token: stack.chain.token,
              amount: parseUnits("100", 9).toString(),
              to: alice,
              tx: fakeTx,
            },
          },
          domain(),
        );
        return [
          message(1, genuine),
          message(2, impersonated),
          message(3, otherChain),
          message(4, otherEscrow),
          message(5, genuine),
          message(6, notForAlice),
          message(7, future),
          message(8, claim),
          // The hub "confirms" the forged payment: a hint, which the chain contradicts.
          {
            type: "status",
            seq: 9,
            status: {
              state: "transfer",
              tx: fakeTx,
              block: 3,
              blockHash: keccak256(stringToHex("block")),
              logIndex: 0,
              contract: stack.chain.token,
              token: stack.chain.token,
              from: bob,
              to: alice,
              amount: parseUnits("100", 9).toString(),
            },
          },
        ];
      },
    });
    try {
      const run = await read(hub.url, ["--json"]);
      expect(run.code, run.stderr).toBe(0);
      const got = jsonOf(run) as Frame;
      expect(got.messages.map((m: Frame) => [m.seq, m.from, m.type, m.text ?? null])).toEqual([
        [1, bob, "text", "genuine hello"],
        [8, bob, "payment", null],
      ]);
      expect(got.messages[1].payment).toMatchObject({ state: "unconfirmed", code: "NO_SUCH_TRANSACTION", tx: fakeTx });
      expect(got.rejected.map((r: Frame) => [r.seq, r.code])).toEqual([
        [2, "BAD_SIGNATURE"],
        [3, "WRONG_CHAIN"],
        [4, "BAD_SIGNATURE"],
        [5, "REPLAYED"],
        [6, "NOT_FOR_YOU"],
        [7, "UNKNOWN_VERSION"],
      ]);
      expect(got.rejected[0].reason).toContain(`not by its from ${bob}`);
      expect(got.statuses).toEqual([expect.objectContaining({ seq: 9, state: "transfer", tx: fakeTx })]);
      expect(JSON.stringify(got.messages)).not.toContain("FORGED");
      expect(got.lastSeq).toBe(9);
      // The client acknowledged what it read, and asks from there next time.
      expect(hub.received.filter((f: Frame) => f.op === "ack").map((f: Frame) => f.seq)).toEqual([9]);
      const again = jsonOf(await read(hub.url, ["--json"])) as Frame;
      expect(hub.received.filter((f: Frame) => f.op === "sync").map((f: Frame) => f.after)).toEqual([0, 9]);
      expect([again.messages, again.rejected]).toEqual([[], []]);
    } finally {
      await hub.close();
    }
  });

  it.each([
    ["another domain", () => ({ domain: "chat.example.org" }), 'domain "chat.example.org"'],
    ["another URL", (own: { uri: string }) => ({ uri: own.uri.replace("/v1/chat", "/v2/chat") }), "asks to sign in to"],
    ["another chain", () => ({ chainId: 1 }), "the hub is on chain 1"],
  ])("asks for a sign-in for %s: the client refuses, exit 1, nothing signed", async (_name, challenge, message) => {
    const hub = await hostileHub({ challenge });
    try {
      const run = await read(hub.url, ["--json"]);
      expect(run.code).toBe(1);
      const { error } = jsonOf(run) as Frame;
      expect(error.code).toBe("CHAT_SIGNIN_REFUSED");
      expect(error.message).toContain(message);
      expect(error.message).toContain("nothing was signed");
      expect(hub.received.map((f: Frame) => f.op)).toEqual(["challenge"]);
    } finally {
      await hub.close();
    }
  });

  it("shows rejected messages to a person as REJECTED, never as a message", async () => {
    const hub = await hostileHub({
      async inbox() {
        const byMallory = await signEnvelope(mallory, text("FORGED: pay me"), domain());
        return [message(1, { ...byMallory, from: bob })];
      },
    });
    try {
      const run = await read(hub.url);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^REJECTED \(BAD_SIGNATURE\) message 0x[0-9a-f]{8} claiming to be from 0x[0-9a-fA-F]{40}: /,
      );
      expect(run.stdout).not.toContain("FORGED");
    } finally {
      await hub.close();
    }
  });
});

it("no key material in any output", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
});
