// What a chat message says. Every body is signed by its sender (through its hash, see canonical.ts) and
// none of them moves money by itself: a `payment` is the sender's word that a transfer happened, which
// every reader confirms against the node or the chain before showing it as received; a `request` is a
// question, and opening one never signs anything; an `invoice` carries the merchant's signed invoice as a
// `gram:invoice/` link, which is what a wallet pays, never the text around it.
import { z } from "zod";
import { quote } from "../errors.ts";
import { INVOICE_LINK_PREFIX } from "../links/invoice-link.ts";
import { invoiceMetadataSchema, METADATA_LIMITS } from "../links/metadata.ts";
import { ChatProtocolError } from "./errors.ts";
import {
  addressField,
  amountField,
  bytes32Field,
  lineField,
  messageTextField,
  parseWith,
  unixSecondsField,
} from "./fields.ts";

/** Limits on what a body holds. */
export const BODY_LIMITS = {
  /** Code points of a `text` message. */
  text: 4_000,
  /** Code points of a memo. */
  memo: 280,
  /** Characters of a `gram:invoice/` link (a contract wallet's signature makes it long). */
  invoiceLink: 10_000,
} as const;

/**
 * A message someone typed. Newlines are `\n` only: a client turns `\r\n` into `\n` before signing, since
 * a carriage return (like every other control character) could redraw a line on a terminal.
 */
export const textBodySchema = z.strictObject({
  type: z.literal("text"),
  text: messageTextField(BODY_LIMITS.text),
});

/**
 * "I paid you": `amount` base units of `token` to `to`, made by transaction `tx`, or by the ERC-3009
 * authorization whose nonce is `authorization` (relayed gaslessly: the transaction is the relayer's), or
 * both. `ref` ties it to a request or an order. Readers confirm it on-chain before believing it.
 */
export const paymentBodySchema = z
  .strictObject({
    type: z.literal("payment"),
    token: addressField,
    amount: amountField,
    to: addressField,
    tx: bytes32Field.optional(),
    authorization: bytes32Field.optional(),
    ref: bytes32Field.optional(),
    memo: lineField(BODY_LIMITS.memo).optional(),
  })
  .refine((body) => body.tx !== undefined || body.authorization !== undefined, {
    message: "expected tx (a transaction hash) or authorization (an ERC-3009 nonce), or both",
    path: ["tx"],
  });

/** "Please pay me": the sender asks for `amount` base units of `token` until `expiry` (unix seconds). */
export const requestBodySchema = z.strictObject({
  type: z.literal("request"),
  token: addressField,
  amount: amountField,
  expiry: unixSecondsField,
  memo: lineField(BODY_LIMITS.memo).optional(),
});

/**
 * A merchant's invoice: `link` is the signed invoice (`gram:invoice/…`, see protocol/links/invoice-link.ts);
 * `title`, `items` and `memo` are its metadata, which must hash to the invoice's signed `metadataHash`
 * (`verifyEnvelope` checks that, and that the link is for the reader's chain and escrow).
 */
export const invoiceBodySchema = z.strictObject({
  type: z.literal("invoice"),
  link: z
    .string()
    .max(BODY_LIMITS.invoiceLink, `expected at most ${BODY_LIMITS.invoiceLink} characters`)
    .startsWith(INVOICE_LINK_PREFIX, `expected a link starting with "${INVOICE_LINK_PREFIX}"`),
  title: lineField(METADATA_LIMITS.title),
  items: invoiceMetadataSchema.shape.items.superRefine((items, ctx) => {
    for (const [i, item] of items.entries()) {
      const result = lineField(METADATA_LIMITS.itemName).safeParse(item.name);
      if (!result.success) {
        ctx.addIssue({ code: "custom", path: [i, "name"], message: result.error.issues[0]?.message ?? "invalid" });
      }
    }
  }),
  memo: lineField(METADATA_LIMITS.memo).optional(),
});

export const BODY_TYPES = ["text", "payment", "request", "invoice"] as const;
export type BodyType = (typeof BODY_TYPES)[number];

/** Any body, told apart by `type`. */
export const bodySchema = z.discriminatedUnion("type", [
  textBodySchema,
  paymentBodySchema,
  requestBodySchema,
  invoiceBodySchema,
]);

export type TextBody = z.output<typeof textBodySchema>;
export type PaymentBody = z.output<typeof paymentBodySchema>;
export type RequestBody = z.output<typeof requestBodySchema>;
export type InvoiceBody = z.output<typeof invoiceBodySchema>;
export type Body = z.output<typeof bodySchema>;
/** A body as it may be written before parsing (addresses in any valid case). */
export type BodyInput = z.input<typeof bodySchema>;

/**
 * Parses a body from untrusted JSON. An unknown `type` is `UNKNOWN_TYPE`; anything else wrong is
 * `MALFORMED`, naming the field.
 *
 * @example
 * const body = parseBody({ type: "text", text: "hi" });
 */
export function parseBody(value: unknown, at = "body"): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ChatProtocolError("MALFORMED", `${at}: got ${quote(value)}, expected an object with a "type"`);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !(BODY_TYPES as readonly string[]).includes(type)) {
    throw new ChatProtocolError(
      "UNKNOWN_TYPE",
      `${at}.type: got ${quote(type)}, expected one of ${BODY_TYPES.join(", ")} (status updates come from the hub, unsigned)`,
      { hint: "The message may come from a newer client; update Gram." },
    );
  }
  return parseWith(bodySchema, value, at);
}
