// protocol/checksum.ts is a second EIP-55 implementation kept only to spare fast commands viem's import
// time: it must agree with viem on every address, and refuse what is not one.
import fc from "fast-check";
import { checksumAddress as viemChecksum, isAddress as viemIsAddress } from "viem";
import { describe, expect, it } from "vitest";
import { checksumAddress, isAddress } from "../../protocol/checksum.ts";

const hexAddress = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => `0x${Buffer.from(bytes).toString("hex")}` as const);

describe("checksumAddress", () => {
  it("equals viem's checksumAddress for 500 random addresses, from any case", () => {
    fc.assert(
      fc.property(hexAddress, fc.boolean(), (address, upper) => {
        const spelled = upper ? `0x${address.slice(2).toUpperCase()}` : address;
        expect(checksumAddress(spelled)).toBe(viemChecksum(address));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what is not 0x and 40 hex digits", () => {
    for (const bad of ["", "0x", "0x123", `0x${"g".repeat(40)}`, `${"a".repeat(42)}`, `0x${"a".repeat(41)}`]) {
      expect(() => checksumAddress(bad)).toThrow(/expected 0x and 40 hex digits/);
    }
  });
});

describe("isAddress", () => {
  it("agrees with viem's isAddress on checksummed, lower, upper and mis-cased spellings", () => {
    fc.assert(
      fc.property(hexAddress, fc.nat(39), (address, flip) => {
        const good = viemChecksum(address);
        // One letter's case flipped: no longer the checksum (when that character is a letter).
        const char = good[2 + flip] as string;
        const flipped = `${good.slice(0, 2 + flip)}${char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()}${good.slice(3 + flip)}`;
        for (const spelled of [good, address, `0x${address.slice(2).toUpperCase()}`, flipped]) {
          expect(isAddress(spelled)).toBe(viemIsAddress(spelled));
        }
      }),
      { numRuns: 300 },
    );
    expect(isAddress("0x1234")).toBe(false);
  });
});
