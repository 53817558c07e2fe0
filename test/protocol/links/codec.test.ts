import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, base64UrlDecode, base64UrlEncode } from "../../../protocol/links/codec.ts";
import { linkError, UINT256_MAX } from "./helpers.ts";

describe("base64url", () => {
  it("matches Node's encoder and decodes back, for random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64UrlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(base64UrlDecode(text, "link")).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses spellings Node would quietly accept: set padding bits, padding, other alphabets", async () => {
    // "AB" and "AA" both decode to [0] in Node; only "AA" is canonical.
    expect(Buffer.from("AB", "base64url")).toEqual(Buffer.from([0]));
    for (const text of ["AB", "AAA=", "AA+A", "AA/A", "A", "AAAAA"]) {
      expect((await linkError(() => base64UrlDecode(text, "link"))).code).toBe("DAMAGED");
    }
  });
});

describe("layout integers", () => {
  it("varUint is minimal: 0 is one byte, each value's length byte is its byte count", () => {
    const cases: [bigint, number[]][] = [
      [0n, [0]],
      [1n, [1, 1]],
      [255n, [1, 255]],
      [256n, [2, 1, 0]],
      [UINT256_MAX, [32, ...Array(32).fill(255)]],
    ];
    for (const [value, bytes] of cases) {
      const written = new ByteWriter().varUint(value, "v").finish();
      expect([...written]).toEqual(bytes);
      const reader = new ByteReader(written, "test");
      expect(reader.varUint("v")).toBe(value);
      reader.end();
    }
  });

  it("LEB128 lengths round-trip and refuse a non-minimal encoding", async () => {
    for (const value of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 21]) {
      const reader = new ByteReader(new ByteWriter().leb128(value).finish(), "test");
      expect(reader.leb128("n")).toBe(value);
      reader.end();
    }
    expect(await linkError(() => new ByteReader(Uint8Array.of(0x81, 0x00), "test").leb128("n"))).toEqual({
      code: "MALFORMED",
      message: "test is malformed: n has a non-minimal length",
    });
  });

  it("refuses values that do not fit their field rather than truncating them", async () => {
    expect((await linkError(() => new ByteWriter().uint(2 ** 40, 5, "payBefore"))).message).toBe(
      "payBefore: 1099511627776 does not fit in 40 bits",
    );
    expect((await linkError(() => new ByteWriter().varUint(UINT256_MAX + 1n, "amount"))).code).toBe("MALFORMED");
    expect((await linkError(() => new ByteWriter().varUint(-1n, "amount"))).code).toBe("MALFORMED");
  });

  it("refuses invalid UTF-8 in strings", async () => {
    expect(await linkError(() => new ByteReader(Uint8Array.of(2, 0xc3, 0x28), "test").string("memo", 10))).toEqual({
      code: "MALFORMED",
      message: "test is malformed: memo is not valid UTF-8",
    });
  });
});
