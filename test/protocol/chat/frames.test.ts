import { describe, expect, it } from "vitest";
import { FRAME_MAX_BYTES, parseClientFrame, parseHubFrame } from "../../../protocol/chat/frames.ts";
import { signEnvelope } from "../../../protocol/chat/sign.ts";
import { DOMAIN, TOKEN } from "../../kit/constants.ts";
import { alice, bob, chatError, GROUP_ID } from "./helpers.ts";

const envelope = await signEnvelope(
  alice,
  { to: { type: "direct", address: bob.address }, body: { type: "text", text: "hi" } },
  DOMAIN,
);
const json = JSON.stringify;

describe("client frames", () => {
  it.each([
    { op: "challenge" },
    { op: "signin", message: "m", signature: `0x${"11".repeat(65)}` },
    { op: "register", username: "alice", ref: "r1" },
    { op: "lookup", username: "@bob" },
    { op: "lookup", address: bob.address.toLowerCase() },
    { op: "send", envelope },
    { op: "sync", after: 0 },
    { op: "sync", after: 12, limit: 1_000 },
    { op: "ack", seq: 3 },
    { op: "history", conversation: { type: "group", id: GROUP_ID }, before: 10, limit: 200 },
    { op: "group.create", name: "Lunch club", members: [bob.address] },
    { op: "groups" },
    { op: "ping", ref: "x".repeat(64) },
  ])("reads $op", (frame) => {
    const parsed = parseClientFrame(json(frame));
    expect(parsed.op).toBe(frame.op);
    if (parsed.op === "lookup" && parsed.address !== undefined) expect(parsed.address).toBe(bob.address);
    if (parsed.op === "send") expect(parsed.envelope).toEqual(envelope);
  });

  it.each<[string, string, string, string]>([
    ["not JSON", "ping", "MALFORMED", 'frame: got "ping", expected JSON'],
    ["an array", "[]", "MALFORMED", 'frame: got [], expected a JSON object with an "op"'],
    ["no op", "{}", "MALFORMED", "op: got nothing, expected one of challenge, signin, register"],
    ["an unknown op", json({ op: "delete" }), "UNKNOWN_OP", 'op: got "delete", expected one of'],
    ["an op of the wrong type", json({ op: 5 }), "UNKNOWN_OP", "op: got 5"],
    ["an inherited name as op", json({ op: "toString" }), "UNKNOWN_OP", 'op: got "toString"'],
    ["an extra field", json({ op: "ping", x: 1 }), "MALFORMED", 'frame: unknown field(s) "x"'],
    ["a long ref", json({ op: "ping", ref: "x".repeat(65) }), "MALFORMED", "ref: expected at most 64 characters"],
    ["a lookup of nothing", json({ op: "lookup" }), "MALFORMED", "frame: expected either username or address"],
    ["a lookup of both", json({ op: "lookup", username: "bob", address: bob.address }), "MALFORMED", "either"],
    ["a sync without after", json({ op: "sync" }), "MALFORMED", "after: missing"],
    ["a sync after -1", json({ op: "sync", after: -1 }), "MALFORMED", "after: expected a whole number ≥ 0"],
    ["a sync limit of 1001", json({ op: "sync", after: 0, limit: 1001 }), "MALFORMED", "limit: expected at most 1000"],
    ["a send without envelope", json({ op: "send" }), "MALFORMED", "envelope: missing"],
    ["a send of version 9", json({ op: "send", envelope: { ...envelope, v: 9 } }), "UNKNOWN_VERSION", "envelope.v"],
    [
      "a send of a poll",
      json({ op: "send", envelope: { ...envelope, body: { type: "poll" } } }),
      "UNKNOWN_TYPE",
      "envelope.body.type",
    ],
    [
      "a group of nobody",
      json({ op: "group.create", name: "x", members: [] }),
      "MALFORMED",
      "members: expected at least one member",
    ],
    [
      "a group with a bad member",
      json({ op: "group.create", name: "x", members: ["0x1"] }),
      "MALFORMED",
      "members.0: expected an address",
    ],
    [
      "a group name with a newline",
      json({ op: "group.create", name: "a\nb", members: [bob.address] }),
      "MALFORMED",
      "name: contains U+000A",
    ],
    [
      "a huge frame",
      json({ op: "ping", pad: "x".repeat(FRAME_MAX_BYTES) }),
      "TOO_LARGE",
      "bytes, at most 65536 allowed",
    ],
  ])("refuses %s", async (_name, text, code, message) => {
    const error = await chatError(() => parseClientFrame(text));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe("hub frames", () => {
  it("reads what the hub sends, envelopes included", () => {
    const status = {
      state: "transfer",
      tx: `0x${"12".repeat(32)}`,
      block: 7,
      blockHash: `0x${"34".repeat(32)}`,
      logIndex: 0,
      contract: TOKEN,
      token: TOKEN,
      from: alice.address,
      to: bob.address,
      amount: "5",
    };
    const frames = [
      { type: "welcome", address: alice.address, username: null, lastSeq: 0, ackedSeq: 0 },
      { type: "message", seq: 1, envelope },
      { type: "status", seq: 2, status },
      {
        type: "status",
        seq: 3,
        status: {
          ...status,
          state: "reverted",
          reverts: "transfer",
          reorg: { from: { number: 7, hash: status.blockHash }, to: { number: 6, hash: status.tx } },
        },
      },
      { type: "history", conversation: GROUP_ID, messages: [{ index: 1, envelope }], more: false, ref: "h" },
      { type: "error", code: "REPLAYED", message: "…", ref: "s1" },
    ];
    for (const frame of frames) expect(parseHubFrame(json(frame))).toEqual(frame);
  });

  it("refuses a status that reverts a revert, and a message whose envelope is malformed", async () => {
    const status = {
      state: "reverted",
      reverts: "reverted",
      tx: `0x${"12".repeat(32)}`,
      block: 7,
      blockHash: `0x${"34".repeat(32)}`,
      logIndex: 0,
      contract: TOKEN,
    };
    expect((await chatError(() => parseHubFrame(json({ type: "status", seq: 1, status })))).message).toContain(
      "status.reverts",
    );
    const bad = { type: "message", seq: 1, envelope: { ...envelope, from: "0x1" } };
    expect((await chatError(() => parseHubFrame(json(bad)))).message).toContain("envelope.from");
  });

  it("refuses a frame nested deeper than 16 levels, from a hub or a client, however deep", async () => {
    for (const depth of [17, 100_000]) {
      const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      for (const [parse, text] of [
        [parseHubFrame, nested],
        [parseHubFrame, `{"type":"pong","x":${nested}}`],
        [parseClientFrame, `{"op":"ping","x":${nested}}`],
      ] as const) {
        if (text.length > FRAME_MAX_BYTES && parse === parseClientFrame) continue;
        const error = await chatError(() => parse(text));
        expect([error.code, error.message]).toEqual([
          "MALFORMED",
          "frame: arrays and objects nested more than 16 levels deep; none of the protocol's nests more than 7",
        ]);
      }
    }
  });
});
