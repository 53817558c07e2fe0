// Parsing envelopes from untrusted JSON: sizes, versions, body types and every field's shape, each
// refused with a code and a message that says what was expected.
import { describe, expect, it } from "vitest";
import {
  ENVELOPE_MAX_BYTES,
  type Envelope,
  parseEnvelope,
  parseEnvelopeValue,
} from "../../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../../protocol/chat/errors.ts";
import { signEnvelope } from "../../../protocol/chat/sign.ts";
import { DOMAIN, TOKEN } from "../../kit/constants.ts";
import { alice, bob, chatError } from "./helpers.ts";

const envelope: Envelope = await signEnvelope(
  alice,
  {
    to: { type: "direct", address: bob.address },
    body: { type: "text", text: "hi" },
    id: `0x${"0a".repeat(32)}`,
    sentAt: 1_767_225_600_000,
  },
  DOMAIN,
);
const json = (value: unknown) => JSON.stringify(value);
/** Whether `run` throws (a ChatProtocolError: anything else fails the test). */
async function refusal(run: () => unknown): Promise<boolean> {
  try {
    await run();
    return false;
  } catch (error) {
    if (!(error instanceof ChatProtocolError)) throw error;
    return true;
  }
}
const withBody = (body: unknown) => json({ ...envelope, body });
/** The address with its first letter's case flipped: still mixed-case, no longer its checksum. */
const flipCase = (address: string) =>
  address.replace(/(?<=^0x[0-9]*)[a-fA-F]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

describe("parseEnvelope", () => {
  it("reads what signEnvelope writes, addresses checksummed whatever their case", () => {
    expect(parseEnvelope(json(envelope))).toEqual(envelope);
    const lower = {
      ...envelope,
      from: envelope.from.toLowerCase(),
      signature: envelope.signature.toUpperCase().replace("0X", "0x"),
    };
    expect(parseEnvelope(json(lower))).toEqual(envelope);
  });

  it(`refuses an envelope over ${ENVELOPE_MAX_BYTES} bytes before parsing it`, async () => {
    const text = withBody({ type: "text", text: "x".repeat(ENVELOPE_MAX_BYTES) });
    const error = await chatError(() => parseEnvelope(text));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toMatch(/^envelope: 16\d{3} bytes, at most 16384 allowed/);
    expect((await chatError(() => parseEnvelopeValue(JSON.parse(text)))).code).toBe("TOO_LARGE");
  });

  it("refuses unknown versions and body types, saying what it reads", async () => {
    const version = await chatError(() => parseEnvelope(json({ ...envelope, v: 2 })));
    expect([version.code, version.shortMessage]).toEqual([
      "UNKNOWN_VERSION",
      "envelope.v: envelope version 2 is not supported (this code reads version 1)",
    ]);
    const type = await chatError(() => parseEnvelope(withBody({ type: "sticker", id: 5 })));
    expect([type.code, type.shortMessage]).toEqual([
      "UNKNOWN_TYPE",
      'envelope.body.type: got "sticker", expected one of text, payment, request, invoice (status updates come from the hub, unsigned)',
    ]);
    // A status is the hub's, never a user's: it cannot be signed into an envelope.
    expect((await chatError(() => parseEnvelope(withBody({ type: "status", state: "paid" })))).code).toBe(
      "UNKNOWN_TYPE",
    );
  });

  const payment = { type: "payment", token: TOKEN, amount: "5", to: bob.address, tx: `0x${"12".repeat(32)}` };
  const cases: Array<[name: string, text: string, message: string]> = [
    ["not JSON", "{v:1}", 'envelope: got "{v:1}", expected JSON'],
    ["an array", "[1]", "envelope: got [1], expected an object"],
    ["a string", '"hi"', 'envelope: got "hi", expected an object'],
    ["no version", json({ ...envelope, v: undefined }), "envelope.v: missing, expected 1"],
    ["an extra field", json({ ...envelope, extra: 1 }), 'envelope: unknown field(s) "extra"'],
    ["no signature", json({ ...envelope, signature: undefined }), "envelope.signature: missing"],
    [
      "a short signature",
      json({ ...envelope, signature: "0x1234" }),
      "envelope.signature: expected a 65-byte signature",
    ],
    ["a chain id of 0", json({ ...envelope, chainId: 0 }), "envelope.chainId: expected a chain id ≥ 1"],
    ["a chain id as text", json({ ...envelope, chainId: "31337" }), "envelope.chainId: got string, expected number"],
    ["a bad from", json({ ...envelope, from: "0x12" }), "envelope.from: expected an address: 0x and 40 hex digits"],
    ["a wrong checksum", json({ ...envelope, from: flipCase(envelope.from) }), "envelope.from: wrong EIP-55 checksum"],
    ["an unknown target", json({ ...envelope, to: { type: "channel", id: "x" } }), "envelope.to.type"],
    ["a short group id", json({ ...envelope, to: { type: "group", id: "0x12" } }), "envelope.to.id: expected 32 bytes"],
    ["a short id", json({ ...envelope, id: "0x12" }), "envelope.id: expected 32 bytes: 0x and 64 hex digits"],
    ["a float time", json({ ...envelope, sentAt: 1.5 }), "envelope.sentAt"],
    ["a negative time", json({ ...envelope, sentAt: -1 }), "envelope.sentAt: expected a whole number ≥ 0"],
    ["no body", json({ ...envelope, body: undefined }), 'envelope.body: got nothing, expected an object with a "type"'],
    ["an empty text", withBody({ type: "text", text: "" }), "envelope.body.text: expected 1 to 4000 characters, got 0"],
    ["a text of 4001 characters", withBody({ type: "text", text: "a".repeat(4_001) }), "got 4001"],
    ["a terminal escape", withBody({ type: "text", text: "\u001b[2J" }), "contains U+001B at position 0"],
    ["a bidi override", withBody({ type: "text", text: "pay \u202e001" }), "contains U+202E at position 4"],
    ["a zero-width space", withBody({ type: "text", text: "pay\u200bme" }), "contains U+200B at position 3"],
    ["a line separator", withBody({ type: "text", text: "a\u2028b" }), "contains U+2028 at position 1"],
    ["a paragraph separator", withBody({ type: "text", text: "a\u2029b" }), "contains U+2029 at position 1"],
    ["a byte-order mark", withBody({ type: "text", text: "\ufeffhi" }), "contains U+FEFF at position 0"],
    ["a soft hyphen", withBody({ type: "text", text: "pay\u00adpal" }), "contains U+00AD at position 3"],
    ["a left-to-right mark", withBody({ type: "text", text: "5\u200e00" }), "contains U+200E at position 1"],
    ["an invisible tag character", withBody({ type: "text", text: "hi\u{e0041}" }), "contains U+E0041 at position 2"],
    ["a carriage return", withBody({ type: "text", text: "a\rb" }), "contains U+000D at position 1"],
    [
      "a time past what a date holds",
      json({ ...envelope, sentAt: 8.64e15 + 1 }),
      "envelope.sentAt: expected unix milliseconds a date can hold",
    ],
    [
      "nesting past 16 levels",
      json({ ...envelope, body: { type: "text", text: "hi", x: JSON.parse(`${"[".repeat(16)}${"]".repeat(16)}`) } }),
      "envelope: arrays and objects nested more than 16 levels deep",
    ],
    [
      "nesting 8,000 levels deep",
      `{"v":1,"body":${"[".repeat(8_000)}${"]".repeat(8_000)}}`,
      "envelope: arrays and objects nested more than 16 levels deep",
    ],
    ["a text with an extra field", withBody({ type: "text", text: "hi", bold: true }), 'unknown field(s) "bold"'],
    ["a payment without tx or authorization", withBody({ ...payment, tx: undefined }), "envelope.body.tx: expected tx"],
    ["a payment of 0", withBody({ ...payment, amount: "0" }), "envelope.body.amount: expected a positive whole number"],
    ["a payment of 1.5", withBody({ ...payment, amount: "1.5" }), "envelope.body.amount"],
    [
      "a payment amount as a number",
      withBody({ ...payment, amount: 5 }),
      "envelope.body.amount: got number, expected string",
    ],
    ["a payment over 2^256", withBody({ ...payment, amount: (2n ** 256n).toString() }), "expected at most 2^256 − 1"],
    ["a payment with an empty memo", withBody({ ...payment, memo: "" }), "envelope.body.memo: must not be empty"],
    ["a payment with a two-line memo", withBody({ ...payment, memo: "a\nb" }), "envelope.body.memo: contains U+000A"],
    [
      "a request without expiry",
      withBody({ type: "request", token: TOKEN, amount: "5" }),
      "envelope.body.expiry: missing",
    ],
    [
      "a request expiring at 2^40",
      withBody({ type: "request", token: TOKEN, amount: "5", expiry: 2 ** 40 }),
      "below 2^40",
    ],
    [
      "an invoice without its link",
      withBody({ type: "invoice", link: "https://x", title: "t", items: [] }),
      'expected a link starting with "gram:invoice/"',
    ],
    [
      "an invoice item without a price",
      withBody({ type: "invoice", link: "gram:invoice/x", title: "t", items: [{ name: "a", quantity: "1" }] }),
      "envelope.body.items.0.price: missing",
    ],
  ];

  it("keeps in message text what people type: newlines, tabs, ZWJ emoji sequences, ZWNJ in Persian", () => {
    const texts = ["two\nlines", "a\tb", "family 👨\u200d👩\u200d👧", "می\u200cخواهم", "🏳️‍🌈 café"];
    for (const text of texts)
      expect(parseEnvelope(withBody({ type: "text", text })).body).toEqual({ type: "text", text });
  });

  it("refuses in message text exactly what memos refuse, but newline and tab", async () => {
    const memo = { ...payment, memo: "x" };
    for (let codePoint = 0; codePoint <= 0x3000; codePoint++) {
      const char = String.fromCodePoint(codePoint);
      if (/\p{Cs}/u.test(char)) continue;
      const inMemo = await refusal(() => parseEnvelope(withBody({ ...memo, memo: `a${char}` })));
      const inText = await refusal(() => parseEnvelope(withBody({ type: "text", text: `a${char}` })));
      // Memos also want NFC; text does not (it is shown as typed).
      const nfc = `a${char}`.normalize("NFC") === `a${char}`;
      const expected = char === "\n" || char === "\t" ? false : inMemo && nfc;
      if (nfc)
        expect({ char: codePoint.toString(16), refused: inText }).toEqual({
          char: codePoint.toString(16),
          refused: expected,
        });
    }
  });

  it.each(cases)("refuses %s", async (_name, text, message) => {
    const error = await chatError(() => parseEnvelope(text));
    expect(error.code).toBe("MALFORMED");
    expect(error.message).toContain(message);
  });
});
