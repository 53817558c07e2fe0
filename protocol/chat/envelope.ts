// The chat envelope, version 1: who says what to whom, signed by the sender's wallet key. As JSON:
//
//   {
//     "v": 1,
//     "chainId": 31337,
//     "from": "0xf39F…2266",                                  sender, EIP-55 or lowercase
//     "to": { "type": "direct", "address": "0x7099…79C8" },   or { "type": "group", "id": "0x<32 bytes>" }
//     "id": "0x<32 random bytes>",                            message id, also the sender's replay nonce
//     "sentAt": 1767225600000,                                unix milliseconds, by the sender's clock (≤ 8.64e15)
//     "body": { "type": "text", "text": "hi" },               see body.ts
//     "signature": "0x<65 bytes>"                             EIP-712, see sign.ts
//   }
//
// Every field is required and no other is allowed; the whole envelope is at most 16 KiB of UTF-8 JSON.
import { type Address, concat, type Hex, keccak256 } from "viem";
import { z } from "zod";
import { quote } from "../errors.ts";
import { type Body, bodySchema, parseBody } from "./body.ts";
import { checkDepth } from "./depth.ts";
import { ChatProtocolError } from "./errors.ts";
import { addressField, bytes32Field, parseWith, safeUint, unixMsField } from "./fields.ts";

/** The envelope version this code writes and reads. */
export const ENVELOPE_VERSION = 1;
/** The largest envelope, as UTF-8 JSON. */
export const ENVELOPE_MAX_BYTES = 16 * 1024;

/** Whom a message is for: one other address (or oneself: saved messages), or a group the hub keeps. */
export const conversationTargetSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("direct"), address: addressField }),
  z.strictObject({ type: z.literal("group"), id: bytes32Field }),
]);
export type ConversationTarget = z.output<typeof conversationTargetSchema>;
export type ConversationTargetInput = z.input<typeof conversationTargetSchema>;

export const signatureField = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature: 0x and 130 hex digits")
  .transform((value) => value.toLowerCase() as Hex);

export const envelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  chainId: safeUint.min(1, "expected a chain id ≥ 1"),
  from: addressField,
  to: conversationTargetSchema,
  id: bytes32Field,
  sentAt: unixMsField,
  body: bodySchema,
  signature: signatureField,
});

/** A parsed envelope: addresses checksummed, hex lowercase. Not yet verified: see `verifyEnvelope`. */
export type Envelope = z.output<typeof envelopeSchema>;
/** An envelope as JSON may carry it. */
export type EnvelopeInput = z.input<typeof envelopeSchema>;
export type { Body };

/**
 * Parses an envelope from JSON text: at most 16 KiB, version 1, a known body type, every field well
 * formed. Throws a `ChatProtocolError`: `TOO_LARGE`, `UNKNOWN_VERSION`, `UNKNOWN_TYPE` or `MALFORMED`,
 * with a message that says what was expected. The signature is not checked here.
 *
 * @example
 * const envelope = parseEnvelope(text);
 * const { signer } = await verifyEnvelope(envelope, { chainId, escrow });
 */
export function parseEnvelope(text: string): Envelope {
  if (typeof text !== "string") throw new ChatProtocolError("MALFORMED", "envelope: expected JSON text");
  const bytes = utf8Length(text);
  if (bytes > ENVELOPE_MAX_BYTES) throw tooLarge(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChatProtocolError("MALFORMED", `envelope: got ${quote(text)}, expected JSON`);
  }
  return parseEnvelopeValue(json);
}

/**
 * `parseEnvelope` for a value already parsed from JSON (the `envelope` of a hub frame); its size is
 * measured as `JSON.stringify` would write it.
 */
export function parseEnvelopeValue(value: unknown, at = "envelope"): Envelope {
  // First: quoting or measuring a value walks it.
  checkDepth(value, at);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ChatProtocolError("MALFORMED", `${at}: got ${quote(value)}, expected an object`);
  }
  const bytes = utf8Length(JSON.stringify(value));
  if (bytes > ENVELOPE_MAX_BYTES) throw tooLarge(bytes);
  const version = (value as { v?: unknown }).v;
  if (version !== ENVELOPE_VERSION) {
    throw new ChatProtocolError(
      version === undefined ? "MALFORMED" : "UNKNOWN_VERSION",
      version === undefined
        ? `${at}.v: missing, expected ${ENVELOPE_VERSION}`
        : `${at}.v: envelope version ${quote(version)} is not supported (this code reads version ${ENVELOPE_VERSION})`,
      version === undefined ? {} : { hint: "The message may come from a newer client; update Gram." },
    );
  }
  // The body first, so that an unknown type is told as such rather than as a failed union.
  parseBody((value as { body?: unknown }).body, `${at}.body`);
  return parseWith(envelopeSchema, value, at);
}

const encoder = new TextEncoder();
/** Bytes of `text` as UTF-8 (no Buffer: the protocol also runs in a browser). */
export const utf8Length = (text: string) => encoder.encode(text).length;

function tooLarge(bytes: number) {
  return new ChatProtocolError(
    "TOO_LARGE",
    `envelope: ${bytes} bytes, at most ${ENVELOPE_MAX_BYTES} allowed (a text of up to 4,000 characters fits)`,
  );
}

/**
 * The `conversation` a message signs: keccak256(0x01 ‖ lower ‖ higher) of the two 20-byte addresses of a
 * direct chat, sorted (the same for both sides), or keccak256(0x02 ‖ id) of a group. The leading byte keeps
 * the two kinds apart: no group id can be chosen to make a group message read as a direct one.
 *
 * @example
 * const conversation = conversationOf(alice, { type: "direct", address: bob }); // = conversationOf(bob, { …alice })
 */
export function conversationOf(from: Address, to: ConversationTarget): Hex {
  if (to.type === "group") return keccak256(concat(["0x02", to.id.toLowerCase() as Hex]));
  const [a, b] = [from.toLowerCase(), to.address.toLowerCase()].sort() as [Hex, Hex];
  return keccak256(concat(["0x01", a, b]));
}
