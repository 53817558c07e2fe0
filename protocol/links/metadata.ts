// What a payer is shown about an invoice (title, items, memo) and the one byte string its hash is taken
// over. The invoice carries only `metadataHash`; a link or chat card carries the metadata itself, and the
// wallet shows it only when it hashes to the signed value.
import { type Hex, keccak256, stringToBytes } from "viem";
import { z } from "zod";
import { LinkError } from "./errors.ts";
import { checkDisplayText } from "./text.ts";

export const METADATA_LIMITS = { title: 100, itemName: 100, memo: 280, items: 50, decimal: 40 } as const;

/** One line of an invoice. Quantities and prices are decimal strings, prices in whole token units ("12.5"). */
export interface InvoiceItem {
  name: string;
  quantity: string;
  price: string;
}

export interface InvoiceMetadata {
  title: string;
  /** May be empty: a title alone describes the invoice. */
  items: InvoiceItem[];
  /** Absent rather than empty. */
  memo?: string;
}

const decimal = z
  .string()
  .max(METADATA_LIMITS.decimal)
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, "expected a decimal number such as 2 or 12.5");

/** The shape of metadata from outside (a file, a chat message); `parseInvoiceMetadata` adds the text rules. */
export const invoiceMetadataSchema = z.strictObject({
  title: z.string().min(1, "must not be empty"),
  items: z
    .array(z.strictObject({ name: z.string().min(1, "must not be empty"), quantity: decimal, price: decimal }))
    .max(METADATA_LIMITS.items),
  memo: z.string().min(1, "must be absent rather than empty").optional(),
});

/**
 * Validates metadata from anywhere: shape, decimal strings, and display text (no control, bidi or invisible
 * characters, NFC, length limits). Throws a `LinkError` naming the field.
 *
 * @example
 * const metadata = parseInvoiceMetadata(JSON.parse(text));
 */
export function parseInvoiceMetadata(value: unknown): InvoiceMetadata {
  const result = invoiceMetadataSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new LinkError("INVALID_METADATA", `metadata: ${where}${issue?.message ?? "invalid"}`);
  }
  const { title, items, memo } = result.data;
  checkDisplayText(title, "metadata: title", METADATA_LIMITS.title);
  for (const [i, item] of items.entries()) {
    checkDisplayText(item.name, `metadata: items.${i}.name`, METADATA_LIMITS.itemName);
  }
  if (memo !== undefined) checkDisplayText(memo, "metadata: memo", METADATA_LIMITS.memo);
  return {
    title,
    items: items.map(({ name, quantity, price }) => ({ name, quantity, price })),
    ...(memo === undefined ? {} : { memo }),
  };
}

/**
 * The canonical encoding that `metadataHash` hashes: `JSON.stringify` of
 * `{ title, items: [{ name, quantity, price }, …], memo }` with keys in exactly that order, `memo` left out
 * when absent, no whitespace, UTF-8. The text rules leave `"` and `\` as the only characters JSON escapes,
 * so any JSON library writing these keys in this order produces the same bytes.
 *
 * @example
 * canonicalMetadata({ title: "Margherita", items: [{ name: "Margherita", quantity: "1", price: "12.5" }] });
 * // '{"title":"Margherita","items":[{"name":"Margherita","quantity":"1","price":"12.5"}]}'
 */
export function canonicalMetadata(metadata: InvoiceMetadata): string {
  const { title, items, memo } = parseInvoiceMetadata(metadata);
  return JSON.stringify({ title, items, ...(memo === undefined ? {} : { memo }) });
}

/**
 * keccak256 of the canonical encoding: the value a merchant puts in the invoice's `metadataHash`.
 *
 * @example
 * const invoice = { ...fields, metadataHash: metadataHash({ title: "Lunch", items: [] }) };
 */
export function metadataHash(metadata: InvoiceMetadata): Hex {
  return keccak256(stringToBytes(canonicalMetadata(metadata)));
}
