import fc from "fast-check";
import { keccak256, stringToHex } from "viem";
import { describe, expect, it } from "vitest";
import type { LinkErrorCode } from "../../../protocol/links/errors.ts";
import {
  canonicalMetadata,
  type InvoiceMetadata,
  metadataHash,
  parseInvoiceMetadata,
} from "../../../protocol/links/metadata.ts";
import { linkError, metadataArbitrary, pizza } from "./helpers.ts";

describe("invoice metadata: the canonical encoding", () => {
  it("is compact JSON with keys in a fixed order, and metadataHash is keccak256 of its UTF-8", () => {
    const canonical = '{"title":"Margherita","items":[{"name":"Margherita","quantity":"1","price":"12.5"}]}';
    expect(canonicalMetadata(pizza)).toBe(canonical);
    expect(metadataHash(pizza)).toBe(keccak256(stringToHex(canonical)));
  });

  it("includes the memo last, and escapes only quotes and backslashes", () => {
    const metadata = { title: 'Café "Zur Post" \\ Berlin', items: [], memo: "Tisch 4 — danke! 🍺" };
    expect(canonicalMetadata(metadata)).toBe(
      '{"title":"Café \\"Zur Post\\" \\\\ Berlin","items":[],"memo":"Tisch 4 — danke! 🍺"}',
    );
  });

  it("does not depend on the order of keys in the object given", () => {
    const shuffled = JSON.parse('{"items":[{"price":"12.5","quantity":"1","name":"Margherita"}],"title":"Margherita"}');
    expect(metadataHash(shuffled as InvoiceMetadata)).toBe(metadataHash(pizza));
  });

  it("changes with every field: title, each item field, the memo and the order of items", () => {
    const two = {
      title: "Order",
      items: [
        { name: "A", quantity: "1", price: "2" },
        { name: "B", quantity: "3", price: "4" },
      ],
    };
    const variants = [
      two,
      { ...two, title: "Order." },
      { ...two, items: [{ name: "A", quantity: "1", price: "2.0" }, two.items[1]] },
      { ...two, items: [{ name: "A", quantity: "2", price: "2" }, two.items[1]] },
      { ...two, items: [two.items[1], two.items[0]] },
      { ...two, memo: "x" },
    ] as InvoiceMetadata[];
    expect(new Set(variants.map(metadataHash)).size).toBe(variants.length);
  });

  it("round-trips: any valid metadata's canonical JSON parses back to the same metadata", () => {
    fc.assert(
      fc.property(metadataArbitrary, (metadata) => {
        const canonical = canonicalMetadata(metadata);
        expect(parseInvoiceMetadata(JSON.parse(canonical))).toEqual(metadata);
        expect(canonicalMetadata(parseInvoiceMetadata(JSON.parse(canonical)))).toBe(canonical);
      }),
      { numRuns: 300 },
    );
  });
});

describe("invoice metadata: refusals", () => {
  const item = { name: "Tea", quantity: "1", price: "2" };
  const cases: [string, unknown, LinkErrorCode, string][] = [
    ["an empty title", { title: "", items: [] }, "INVALID_METADATA", "metadata: title: must not be empty"],
    [
      "a missing title",
      { items: [] },
      "INVALID_METADATA",
      "metadata: title: Invalid input: expected string, received undefined",
    ],
    [
      "an unknown key",
      { title: "T", items: [], total: "5" },
      "INVALID_METADATA",
      'metadata: Unrecognized key: "total"',
    ],
    [
      "an empty memo",
      { title: "T", items: [], memo: "" },
      "INVALID_METADATA",
      "metadata: memo: must be absent rather than empty",
    ],
    [
      "a comma decimal",
      { title: "T", items: [{ ...item, price: "1,5" }] },
      "INVALID_METADATA",
      "metadata: items.0.price: expected a decimal number such as 2 or 12.5",
    ],
    [
      "a negative quantity",
      { title: "T", items: [{ ...item, quantity: "-1" }] },
      "INVALID_METADATA",
      "metadata: items.0.quantity: expected a decimal number such as 2 or 12.5",
    ],
    [
      "a leading zero",
      { title: "T", items: [{ ...item, price: "02" }] },
      "INVALID_METADATA",
      "metadata: items.0.price: expected a decimal number such as 2 or 12.5",
    ],
    [
      "a trailing point",
      { title: "T", items: [{ ...item, price: "2." }] },
      "INVALID_METADATA",
      "metadata: items.0.price: expected a decimal number such as 2 or 12.5",
    ],
    [
      "a number for a string",
      { title: "T", items: [{ ...item, quantity: 1 }] },
      "INVALID_METADATA",
      "metadata: items.0.quantity: Invalid input: expected string, received number",
    ],
    [
      "51 items",
      { title: "T", items: Array(51).fill(item) },
      "INVALID_METADATA",
      "metadata: items: Too big: expected array to have <=50 items",
    ],
    [
      "a newline in the title",
      { title: "Paid\nTotal: 0", items: [] },
      "INVALID_TEXT",
      "metadata: title: contains U+000A at position 4, a control or formatting character",
    ],
    [
      "an ANSI escape",
      { title: "\u001b[32mOK", items: [] },
      "INVALID_TEXT",
      "metadata: title: contains U+001B at position 0, a control or formatting character",
    ],
    [
      "a right-to-left override",
      { title: "Tea", items: [{ ...item, name: "x\u202e5.21" }] },
      "INVALID_TEXT",
      "metadata: items.0.name: contains U+202E at position 1, a control or formatting character",
    ],
    [
      "a zero-width space",
      { title: "T\u200bea", items: [] },
      "INVALID_TEXT",
      "metadata: title: contains U+200B at position 1, a control or formatting character",
    ],
    ["a lone surrogate", { title: "T\ud800", items: [] }, "INVALID_TEXT", "metadata: title: not well-formed Unicode"],
    [
      "decomposed accents",
      { title: "Cafe\u0301", items: [] },
      "INVALID_TEXT",
      "metadata: title: not in Unicode normalization form C (NFC)",
    ],
    [
      "a 101-character title",
      { title: "x".repeat(101), items: [] },
      "INVALID_TEXT",
      "metadata: title: 101 characters, at most 100 allowed",
    ],
  ];

  it.each(cases)("%s", async (_, value, code, message) => {
    expect(await linkError(() => parseInvoiceMetadata(value))).toEqual({ code, message });
  });

  it("keeps the joiners emoji need (ZWJ sequences) and counts code points, not bytes", () => {
    const family = "👨\u200d👩\u200d👧";
    expect(parseInvoiceMetadata({ title: family, items: [] }).title).toBe(family);
    expect(parseInvoiceMetadata({ title: "ж".repeat(100), items: [] }).title).toHaveLength(100);
  });
});
