// Malformed frames against the real hub: each gets an `error` frame with a code and a message that says
// what was expected, on the same connection, which keeps working (it still answers a ping); frames over
// the WebSocket limit close only their own connection; a reader that stops reading is disconnected.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEnvelope } from "../../../protocol/chat/sign.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { DOMAIN, TOKEN } from "../../kit/constants.ts";
import { type ChatClient, chatClient, signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const alice = privateKeyToAccount(generatePrivateKey());
const bob = privateKeyToAccount(generatePrivateKey());
let served: ServedHub;
let client: ChatClient;

beforeAll(async () => {
  served = await serveHub();
  client = await signedIn(served, alice);
});
afterAll(async () => {
  await served?.close();
});

const good = await signEnvelope(
  alice,
  { to: { type: "direct", address: bob.address }, body: { type: "text", text: "hi" } },
  DOMAIN,
);
const json = JSON.stringify;
const send = (envelope: unknown) => json({ op: "send", envelope });
const body = (value: unknown) => send({ ...good, body: value });
/** `depth` arrays, one inside the other. */
const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
/** `depth` objects, one inside the other. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const TOO_DEEP = "arrays and objects nested more than 16 levels deep";

// [name, frame as sent, expected code, part of the expected message]
const cases: Array<[string, string | Buffer, string, string]> = [
  ["empty text", "", "MALFORMED", "expected JSON"],
  ["not JSON", "hello", "MALFORMED", 'got "hello", expected JSON such as {"op":"ping"}'],
  ["truncated JSON", '{"op":"pi', "MALFORMED", "expected JSON"],
  ["JSON with a trailing comma", '{"op":"ping",}', "MALFORMED", "expected JSON"],
  ["a number", "42", "MALFORMED", 'frame: got 42, expected a JSON object with an "op"'],
  ["null", "null", "MALFORMED", "expected a JSON object"],
  ["a string", '"ping"', "MALFORMED", "expected a JSON object"],
  ["an array", '[{"op":"ping"}]', "MALFORMED", "expected a JSON object"],
  ["an empty object", "{}", "MALFORMED", "op: got nothing, expected one of challenge, signin"],
  ["an unknown op", json({ op: "delete_all" }), "UNKNOWN_OP", 'op: got "delete_all", expected one of'],
  ["an op in capitals", json({ op: "PING" }), "UNKNOWN_OP", 'op: got "PING"'],
  ["an op that is a number", json({ op: 1 }), "UNKNOWN_OP", "op: got 1"],
  ["an op that is null", json({ op: null }), "UNKNOWN_OP", "op: got null"],
  ["an op named like a prototype key", json({ op: "__proto__" }), "UNKNOWN_OP", 'op: got "__proto__"'],
  ["an unknown field", json({ op: "ping", admin: true }), "MALFORMED", 'unknown field(s) "admin"'],
  ["a ref that is not a string", json({ op: "ping", ref: 7 }), "MALFORMED", "ref: got number, expected string"],
  [
    "a binary frame",
    Buffer.from(json({ op: "ping" })),
    "MALFORMED",
    "expected a text frame holding JSON, got a binary frame",
  ],
  ["stray Latin-1 characters", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("latin1"), "MALFORMED", "expected JSON"],
  ["a sync without after", json({ op: "sync" }), "MALFORMED", "after: missing"],
  ["a sync after a string", json({ op: "sync", after: "5" }), "MALFORMED", "after: got string, expected number"],
  ["a sync after a float", json({ op: "sync", after: 1.5 }), "MALFORMED", "after"],
  ["a sync after -1", json({ op: "sync", after: -1 }), "MALFORMED", "after: expected a whole number ≥ 0"],
  ["a sync after 2^53", json({ op: "sync", after: 2 ** 53 }), "MALFORMED", "after: expected a whole number"],
  ["a sync limit of 0", json({ op: "sync", after: 0, limit: 0 }), "MALFORMED", "limit: expected at least 1"],
  ["an ack of a string", json({ op: "ack", seq: "1" }), "MALFORMED", "seq: got string, expected number"],
  ["a lookup of a number", json({ op: "lookup", username: 5 }), "MALFORMED", "username: got number, expected string"],
  ["a lookup of a bad address", json({ op: "lookup", address: "0xzz" }), "MALFORMED", "address: expected an address"],
  [
    "a register of an array",
    json({ op: "register", username: ["a"] }),
    "MALFORMED",
    "username: got an array, expected string",
  ],
  ["a confusable username", json({ op: "register", username: "b\u043eb" }), "INVALID_USERNAME", "(U+043E)"],
  [
    "a history of an unknown target",
    json({ op: "history", conversation: { type: "channel" } }),
    "MALFORMED",
    "conversation.type",
  ],
  [
    "a group of 300 members",
    json({ op: "group.create", name: "big", members: Array.from({ length: 300 }, () => bob.address) }),
    "MALFORMED",
    "members: expected at most 255",
  ],
  [
    "a group name of controls",
    json({ op: "group.create", name: "\u001b[31m", members: [bob.address] }),
    "MALFORMED",
    "name: contains U+001B",
  ],
  ["a signin without signature", json({ op: "signin", message: "m" }), "MALFORMED", "signature: missing"],
  ["a send without envelope", json({ op: "send" }), "MALFORMED", "envelope: missing"],
  ["a send of a string", send("hello"), "MALFORMED", 'envelope: got "hello", expected an object'],
  [
    "an envelope of version 2",
    send({ ...good, v: 2 }),
    "UNKNOWN_VERSION",
    "envelope version 2 is not supported (this code reads version 1)",
  ],
  ['an envelope of version "1"', send({ ...good, v: "1" }), "UNKNOWN_VERSION", 'envelope version "1" is not supported'],
  ["an envelope without version", send({ ...good, v: undefined }), "MALFORMED", "envelope.v: missing, expected 1"],
  [
    "a body of an unknown type",
    body({ type: "sticker", id: 1 }),
    "UNKNOWN_TYPE",
    'envelope.body.type: got "sticker", expected one of text, payment, request, invoice',
  ],
  [
    "a body claiming to be a status",
    body({ type: "status", state: "paid" }),
    "UNKNOWN_TYPE",
    "status updates come from the hub",
  ],
  ["a body without type", body({ text: "hi" }), "UNKNOWN_TYPE", "envelope.body.type: got nothing"],
  [
    "a text over 4,000 characters",
    body({ type: "text", text: "a".repeat(4_001) }),
    "MALFORMED",
    "expected 1 to 4000 characters, got 4001",
  ],
  [
    "a payment amount as a float",
    body({ type: "payment", token: TOKEN, amount: 1.5, to: bob.address, tx: good.id }),
    "MALFORMED",
    "envelope.body.amount: got number, expected string",
  ],
  [
    "a payment amount in exponent form",
    body({ type: "payment", token: TOKEN, amount: "1e9", to: bob.address, tx: good.id }),
    "MALFORMED",
    "envelope.body.amount: expected a positive whole number",
  ],
  [
    "an envelope with a bad signature field",
    send({ ...good, signature: "0xnope" }),
    "MALFORMED",
    "envelope.signature: expected a 65-byte signature",
  ],
  [
    "an envelope with an extra field",
    send({ ...good, admin: true }),
    "MALFORMED",
    'envelope: unknown field(s) "admin"',
  ],
  ["an envelope over 16 KiB", body({ type: "text", text: "é".repeat(9_000) }), "TOO_LARGE", "at most 16384 allowed"],
  // Nested far past what anything walks recursively (JSON.stringify, to measure or quote it, overflows).
  ["a frame that is 30,000 nested arrays", deep(30_000), "MALFORMED", `frame: ${TOO_DEEP}`],
  ["a frame with 30,000 nested arrays in it", `{"op":"ping","x":${deep(30_000)}}`, "MALFORMED", `frame: ${TOO_DEEP}`],
  ["an envelope of 10,000 nested objects", `{"op":"send","envelope":${nested(10_000)}}`, "MALFORMED", TOO_DEEP],
  [
    "an envelope with 30,000 nested arrays in it",
    `{"op":"send","envelope":{"v":1,"x":${deep(30_000)}}}`,
    "MALFORMED",
    TOO_DEEP,
  ],
  [
    "a body with 30,000 nested arrays in it",
    `{"op":"send","envelope":{"v":1,"body":{"type":"text","x":${deep(30_000)}}}}`,
    "MALFORMED",
    TOO_DEEP,
  ],
  ["a frame 17 levels deep", `{"op":"ping","x":${deep(16)}}`, "MALFORMED", "more than 16 levels deep"],
  [
    "a text with a zero-width space",
    body({ type: "text", text: "pay\u200bme" }),
    "MALFORMED",
    "envelope.body.text: contains U+200B at position 3",
  ],
  [
    "a text with a line separator",
    body({ type: "text", text: "one\u2028two" }),
    "MALFORMED",
    "envelope.body.text: contains U+2028",
  ],
];

describe("malformed frames", () => {
  it(`has at least 40 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s → an error frame, and the hub still answers", async (_name, frame, code, message) => {
    const from = client.frames.length;
    client.send(frame);
    const error = await client.next(() => true, from);
    expect(error).toMatchObject({ type: "error", code });
    expect(error.message).toContain(message);
    const ref = `after-${from}`;
    client.send({ op: "ping", ref });
    expect(await client.next((answer) => answer.ref === ref, from)).toEqual({ type: "pong", ref });
  });

  it("keeps the ref of a frame it refuses, so that a client can tell which it was", async () => {
    expect(await client.request({ op: "sync", after: "x" })).toMatchObject({ type: "error", code: "MALFORMED" });
  });

  it("answers all of them sent at once, in order, then a ping", async () => {
    const from = client.frames.length;
    for (const [, frame] of cases) client.send(frame);
    client.send({ op: "ping", ref: "last" });
    await client.next((frame) => frame.ref === "last", from);
    const answers = client.frames.slice(from);
    expect(answers.map((frame) => frame.code ?? frame.type)).toEqual([...cases.map(([, , code]) => code), "pong"]);
  });

  it("closes only the connection of a frame over the WebSocket limit (64 KiB) or of invalid UTF-8", async () => {
    const victim = await signedIn(served, bob);
    victim.send(json({ op: "ping", pad: "x".repeat(70 * 1024) }));
    expect((await victim.closed).code).toBe(1009);
    const garbler = await chatClient(served);
    garbler.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await garbler.closed).code).toBe(1007);
    expect((await client.request({ op: "ping" })).type).toBe("pong");
    const fresh = await chatClient(served);
    expect((await fresh.request({ op: "ping" })).type).toBe("pong");
    await fresh.close();
  });
});

describe("slow consumers", () => {
  it("disconnects a client that stops reading while its frames pile up", async () => {
    const hub = await serveHub({
      limits: { maxBufferedBytes: 64 * 1024, messagesPerMinute: 10_000, pendingFrames: 1_000 },
    });
    try {
      const [writer, reader] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
      const w = await signedIn(hub, writer);
      const r = await signedIn(hub, reader);
      const big = "😀".repeat(3_900);
      const sends = [];
      for (let i = 0; i < 400; i++) {
        const envelope = await signEnvelope(
          writer,
          { to: { type: "direct", address: reader.address }, body: { type: "text", text: `${i}${big}` } },
          DOMAIN,
        );
        sends.push(envelope);
      }
      // The reader stops reading: the kernel's buffers fill, then the hub's.
      r.socket.pause();
      for (const envelope of sends) w.send({ op: "send", envelope });
      await waitFor(() => w.of("sent").length === sends.length, 60_000, "every send to be answered");
      r.socket.resume();
      expect((await r.closed).code).toBe(1013);
      // The writer and the hub carry on.
      expect((await w.request({ op: "ping" })).type).toBe("pong");
      // And nothing was lost: the reader gets it all by syncing.
      const again = await signedIn(hub, reader);
      await again.request({ op: "sync", after: 0 });
      expect(again.of("message")).toHaveLength(400);
      await again.close();
      await w.close();
    } finally {
      await hub.close();
    }
  }, 120_000);
});
