import fc from "fast-check";
import { keccak256, stringToBytes } from "viem";
import { describe, expect, it } from "vitest";
import { bodyHash, canonicalJson } from "../../../protocol/chat/canonical.ts";
import { chatError } from "./helpers.ts";

describe("canonical JSON", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ type: "text", b: [3, { z: 1, a: "x" }], a: true })).toBe(
      '{"a":true,"b":[3,{"a":"x","z":1}],"type":"text"}',
    );
  });

  it("sorts keys by UTF-16 code units, as RFC 8785 does", () => {
    // 😀 (U+1F600, code units D83D DE00) sorts before Ａ (U+FF21) by code unit, after it by code point.
    expect(canonicalJson({ Ａ: 1, "😀": 2, "€": 3, Z: 4, a: 5, "": 6 })).toBe('{"":6,"Z":4,"a":5,"€":3,"😀":2,"Ａ":1}');
  });

  it("writes strings as JSON.stringify does: only quotes, backslashes and controls escaped", () => {
    expect(canonicalJson({ t: 'a"b\\c\nd\u0001é😀' })).toBe('{"t":"a\\"b\\\\c\\nd\\u0001é😀"}');
  });

  it("leaves out members whose value is undefined, as JSON.stringify does", () => {
    expect(canonicalJson({ type: "request", memo: undefined, amount: "5" })).toBe('{"amount":"5","type":"request"}');
  });

  it("writes safe integers as digits and -0 as 0", () => {
    expect(canonicalJson([0, -0, 42, -7, Number.MAX_SAFE_INTEGER])).toBe("[0,0,42,-7,9007199254740991]");
  });

  it.each([
    ["a float", { amount: 1.5 }, "body.amount: got 1.5, which is not an integer"],
    ["NaN", { n: Number.NaN }, "body.n: got NaN"],
    ["Infinity", { n: Number.POSITIVE_INFINITY }, "body.n: got Infinity"],
    ["an unsafe integer", { n: 2 ** 53 }, "body.n: got 9007199254740992"],
    ["null", { memo: null }, "body.memo: got null"],
    ["a lone surrogate", { text: "a\ud800" }, "body.text: got a string that is not well-formed Unicode"],
    ["a bigint", { amount: 5n }, "body.amount: got a value of type bigint"],
    ["a Date", { at: new Date(0) }, "body.at: got an object that is not plain JSON"],
    ["a nested float", { items: [{ price: 0.1 }] }, "body.items[0].price: got 0.1"],
  ])("refuses %s", async (_name, value, message) => {
    const error = await chatError(() => canonicalJson(value));
    expect(error.code).toBe("MALFORMED");
    expect(error.message).toContain(message);
  });

  it("is the same for any key order, and a fixed point of parse → encode", () => {
    const value = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: "grapheme" }),
        fc.maxSafeInteger(),
        fc.boolean(),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: "grapheme", maxLength: 6 }), tie("value"), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(value, (input) => {
        const text = canonicalJson(input);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        if (typeof input === "object" && input !== null && !Array.isArray(input)) {
          const reversed = Object.fromEntries(Object.entries(input).reverse());
          expect(canonicalJson(reversed)).toBe(text);
        }
      }),
    );
  });

  it("hashes the UTF-8 bytes of the canonical text", () => {
    const body = { type: "text", text: "héllo" };
    expect(bodyHash(body)).toBe(keccak256(stringToBytes('{"text":"héllo","type":"text"}')));
    expect(bodyHash({ text: "héllo", type: "text" })).toBe(bodyHash(body));
  });
});
