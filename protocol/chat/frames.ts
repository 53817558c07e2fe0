// The hub's wire protocol: JSON text frames on the WebSocket `/v1/chat`, at most 64 KiB from a client
// and 1 MiB from the hub.
// A client frame names its operation in `op`; a hub frame its kind in `type`. A client frame may carry
// `ref` (up to 64 characters), which the hub copies into its direct answer (`sent`, `user`, `error`, …).
//
//   client → hub                                  hub → client
//   {op:"challenge"}                              {type:"challenge", nonce, domain, uri, chainId, expiresAt}
//   {op:"signin", message, signature}             {type:"welcome", address, username, lastSeq, ackedSeq}
//   {op:"register", username}                     {type:"user", username, address}
//   {op:"lookup", username} | {op:"lookup", address}
//                                                 {type:"user", username, address}   (null: not known)
//   {op:"send", envelope}                         {type:"sent", id, seq}
//   {op:"sync", after, limit?}                    {type:"message"|"status"|"group", seq, …} each, then
//                                                 {type:"synced", lastSeq, more}
//   {op:"ack", seq}                               {type:"acked", seq}
//   {op:"history", conversation, before?, limit?} {type:"history", conversation, messages, more}
//   {op:"group.create", name, members}            {type:"created", group, seq}
//   {op:"group.add", group, members}              {type:"added", group, seq}
//   {op:"groups"}                                 {type:"groups", groups}
//   {op:"ping"}                                   {type:"pong"}
//   anything refused                              {type:"error", code, message, ref?}
//
// Sign-in first: before it, only `challenge`, `signin` and `ping` are served. The challenge's nonce is
// for this connection only and is spent by the first `signin` that uses it, good or bad.
//
// Inbox. Every address has an inbox: each message of its conversations (its own included), each
// `status` about its payments and each group it is added to takes the next `seq` (1, 2, 3, …). A
// connected session gets them at once as `message`, `status` or `group` frames, in seq order, each
// once; `welcome.lastSeq` is the newest seq at sign-in. A client keeps the last seq it has processed and,
// after a reconnect, sends `sync {after: that seq}`: it receives everything newer, in order, then
// `synced` (with `more: true` if it must sync again from `lastSeq`). `ack` records how far the client
// has processed, so that a client that lost its state may resume from `welcome.ackedSeq`.
//
// `status` frames come from the hub, not from a user: nobody signs them. They say what the node's
// indexer saw on-chain (an invoice paid, captured, refunded…; a transfer; `reverted` when a reorg
// removed one). A client treats them as hints and confirms against the node or the chain.
import { z } from "zod";
import { quote } from "../errors.ts";
import { STATUS_UPDATE_STATES } from "../invoice-state.ts";
import { checkDepth } from "./depth.ts";
import { conversationTargetSchema, envelopeSchema, parseEnvelopeValue, utf8Length } from "./envelope.ts";
import { type ChatErrorCode, ChatProtocolError } from "./errors.ts";
import { addressField, bytes32Field, lineField, parseWith, safeUint } from "./fields.ts";

/** The largest frame a client sends, as UTF-8. */
export const FRAME_MAX_BYTES = 64 * 1024;
/** The largest frame the hub sends (a `history` page is cut to fit). */
export const HUB_FRAME_MAX_BYTES = 1024 * 1024;
/** The most members a group has, its creator included. */
export const GROUP_MAX_MEMBERS = 256;
/** The longest group name, in code points. */
export const GROUP_NAME_MAX_LENGTH = 64;
/** The most inbox entries one `sync` answers with, and the default. */
export const SYNC_MAX_LIMIT = 1_000;
/** The most messages one `history` answers with; 50 by default. */
export const HISTORY_MAX_LIMIT = 200;

const ref = z.string().max(64, "expected at most 64 characters").optional();
const op = <Op extends string, Shape extends z.ZodRawShape>(name: Op, shape: Shape) =>
  z.strictObject({ op: z.literal(name), ref, ...shape });

export const clientFrameSchemas = {
  challenge: op("challenge", {}),
  signin: op("signin", {
    message: z.string().max(4_096, "expected at most 4,096 characters"),
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature: 0x and 130 hex digits"),
  }),
  register: op("register", { username: z.string().max(128, "expected at most 128 characters") }),
  lookup: op("lookup", {
    username: z.string().max(128, "expected at most 128 characters").optional(),
    address: addressField.optional(),
  }).refine((frame) => (frame.username === undefined) !== (frame.address === undefined), {
    message: "expected either username or address",
  }),
  send: op("send", { envelope: envelopeSchema }),
  sync: op("sync", {
    after: safeUint,
    limit: safeUint.min(1, "expected at least 1").max(SYNC_MAX_LIMIT, `expected at most ${SYNC_MAX_LIMIT}`).optional(),
  }),
  ack: op("ack", { seq: safeUint }),
  history: op("history", {
    conversation: conversationTargetSchema,
    /** Messages with a conversation index below this; the newest when left out. */
    before: safeUint.optional(),
    limit: safeUint
      .min(1, "expected at least 1")
      .max(HISTORY_MAX_LIMIT, `expected at most ${HISTORY_MAX_LIMIT}`)
      .optional(),
  }),
  "group.create": op("group.create", {
    name: lineField(GROUP_NAME_MAX_LENGTH),
    /** The other members; the creator is added. */
    members: z
      .array(addressField)
      .min(1, "expected at least one member")
      .max(GROUP_MAX_MEMBERS - 1, `expected at most ${GROUP_MAX_MEMBERS - 1} members besides the creator`),
  }),
  /** Adds members to a group this account is in; every member, old and new, gets the group again. */
  "group.add": op("group.add", {
    group: bytes32Field,
    members: z
      .array(addressField)
      .min(1, "expected at least one member")
      .max(GROUP_MAX_MEMBERS - 1, `expected at most ${GROUP_MAX_MEMBERS - 1} members`),
  }),
  groups: op("groups", {}),
  ping: op("ping", {}),
} as const;

export type ClientOp = keyof typeof clientFrameSchemas;
export const CLIENT_OPS = Object.keys(clientFrameSchemas) as ClientOp[];

/** A client frame, parsed. */
export type ClientFrame = { [Op in ClientOp]: z.output<(typeof clientFrameSchemas)[Op]> }[ClientOp];
/** A client frame as a client writes it (before `JSON.stringify`). */
export type ClientFrameInput = { [Op in ClientOp]: z.input<(typeof clientFrameSchemas)[Op]> }[ClientOp];
export type ClientFrameOf<Op extends ClientOp> = z.output<(typeof clientFrameSchemas)[Op]>;

/**
 * Parses what a client sent: size, JSON, a known `op`, then its fields (an envelope by the envelope's
 * own rules, so its codes are `UNKNOWN_VERSION`, `UNKNOWN_TYPE`, `TOO_LARGE`…). Throws a
 * `ChatProtocolError` whose message says what was expected.
 *
 * @example
 * const frame = parseClientFrame(data.toString("utf8"));
 */
export function parseClientFrame(text: string): ClientFrame {
  return parseClientFrameValue(parseJsonFrame(text, "op", FRAME_MAX_BYTES));
}

/** `parseClientFrame` for a value already parsed from JSON (whose size the caller has checked). */
export function parseClientFrameValue(json: unknown): ClientFrame {
  // First: quoting a value in an error walks it.
  checkDepth(json, "frame");
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ChatProtocolError("MALFORMED", `frame: got ${quote(json)}, expected a JSON object with an "op"`);
  }
  const name = (json as { op?: unknown }).op;
  if (typeof name !== "string" || !Object.hasOwn(clientFrameSchemas, name)) {
    throw new ChatProtocolError(
      name === undefined ? "MALFORMED" : "UNKNOWN_OP",
      `op: got ${quote(name)}, expected one of ${CLIENT_OPS.join(", ")}`,
    );
  }
  if (name === "send") {
    const envelope = (json as { envelope?: unknown }).envelope;
    if (envelope === undefined) throw new ChatProtocolError("MALFORMED", "envelope: missing");
    parseEnvelopeValue(envelope);
  }
  return parseWith(clientFrameSchemas[name as ClientOp], json, "") as ClientFrame;
}

function parseJsonFrame(text: string, discriminator: "op" | "type", maxBytes: number): object {
  if (typeof text !== "string") throw new ChatProtocolError("MALFORMED", "expected a text frame holding JSON");
  const bytes = utf8Length(text);
  if (bytes > maxBytes) {
    throw new ChatProtocolError("TOO_LARGE", `frame: ${bytes} bytes, at most ${maxBytes} allowed`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChatProtocolError("MALFORMED", `frame: got ${quote(text)}, expected JSON`);
  }
  checkDepth(json, "frame");
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ChatProtocolError(
      "MALFORMED",
      `frame: got ${quote(json)}, expected a JSON object with an "${discriminator}"`,
    );
  }
  return json;
}

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, "expected a whole number as a decimal string");
const position = z.strictObject({ number: safeUint, hash: bytes32Field });

/**
 * One on-chain event that concerns the inbox's owner, unsigned, from the hub. Amounts are decimal strings
 * of base units. Invoice events carry `invoice` (the id) and, when the hub knows them, `merchant` and
 * `payer`; a `transfer` carries `token` (the contract), `from`, `to` and `amount`. A `reverted` status
 * repeats the fields of the event a reorg removed, with `reverts` (its state) and `reorg`.
 */
export const statusUpdateSchema = z.strictObject({
  state: z.enum(STATUS_UPDATE_STATES),
  reverts: z.enum(STATUS_UPDATE_STATES).exclude(["reverted"]).optional(),
  tx: bytes32Field,
  block: safeUint,
  blockHash: bytes32Field,
  logIndex: safeUint,
  /** The contract that emitted the event. */
  contract: addressField,
  invoice: bytes32Field.optional(),
  token: addressField.optional(),
  amount: decimal.optional(),
  tip: decimal.optional(),
  cashback: decimal.optional(),
  toPayer: decimal.optional(),
  toMerchant: decimal.optional(),
  from: addressField.optional(),
  to: addressField.optional(),
  merchant: addressField.optional(),
  payer: addressField.optional(),
  reorg: z.strictObject({ from: position, to: position }).optional(),
});
export type StatusUpdate = z.output<typeof statusUpdateSchema>;

/** A group as the hub keeps it. */
export const groupInfoSchema = z.strictObject({
  id: bytes32Field,
  name: z.string(),
  creator: addressField,
  /** Every member, the creator first. */
  members: z.array(addressField),
  /** Unix ms. */
  createdAt: safeUint,
});
export type GroupInfo = z.output<typeof groupInfoSchema>;

const hubFrame = <Type extends string, Shape extends z.ZodRawShape>(name: Type, shape: Shape) =>
  z.strictObject({ type: z.literal(name), ref, ...shape });
const seq = safeUint;

export const hubFrameSchema = z.discriminatedUnion("type", [
  hubFrame("challenge", {
    nonce: z.string(),
    domain: z.string(),
    uri: z.string(),
    chainId: safeUint,
    /** Unix ms after which the nonce is no longer accepted. */
    expiresAt: safeUint,
  }),
  hubFrame("welcome", { address: addressField, username: z.string().nullable(), lastSeq: seq, ackedSeq: seq }),
  hubFrame("message", { seq, envelope: envelopeSchema }),
  hubFrame("status", { seq, status: statusUpdateSchema }),
  hubFrame("group", { seq, group: groupInfoSchema }),
  hubFrame("sent", { id: bytes32Field, seq }),
  hubFrame("created", { group: groupInfoSchema, seq }),
  hubFrame("added", { group: groupInfoSchema, seq }),
  hubFrame("synced", { lastSeq: seq, more: z.boolean() }),
  hubFrame("user", { username: z.string().nullable(), address: addressField.nullable() }),
  hubFrame("groups", { groups: z.array(groupInfoSchema) }),
  hubFrame("history", {
    conversation: bytes32Field,
    /** Oldest first; `index` counts the conversation's messages from 1. */
    messages: z.array(z.strictObject({ index: safeUint, envelope: envelopeSchema })),
    /** Older messages remain: ask again with `before` = the first index. */
    more: z.boolean(),
  }),
  hubFrame("acked", { seq }),
  hubFrame("error", { code: z.string(), message: z.string() }),
  hubFrame("pong", {}),
]);

/** A hub frame, parsed. */
export type HubFrame = z.output<typeof hubFrameSchema>;
export type HubFrameInput = z.input<typeof hubFrameSchema>;
export type HubFrameOf<Type extends HubFrame["type"]> = Extract<HubFrame, { type: Type }>;
/** An `error` frame's code: one of `ChatErrorCode`, though a newer hub may send others. */
export type HubErrorCode = ChatErrorCode;

/**
 * Parses what the hub sent. Throws a `ChatProtocolError` (`MALFORMED`, `TOO_LARGE`) naming the field.
 * Envelopes in `message` and `history` frames are parsed, not verified: verify each before showing it.
 *
 * @example
 * const frame = parseHubFrame(data.toString("utf8"));
 * if (frame.type === "message") await verifyEnvelope(frame.envelope, domain);
 */
export function parseHubFrame(text: string): HubFrame {
  return parseWith(hubFrameSchema, parseJsonFrame(text, "type", HUB_FRAME_MAX_BYTES), "");
}
