import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INVOICE_LINK_PREFIX } from "../../../protocol/links/invoice-link.ts";
import {
  decodeRequestLink,
  encodeRequestLink,
  type PaymentRequest,
  REQUEST_LINK_PREFIX,
} from "../../../protocol/links/request-link.ts";
import { CHAIN_ID, TOKEN } from "../../kit/constants.ts";
import {
  addressArbitrary,
  chainIdArbitrary,
  displayTextArbitrary,
  linkError,
  PAY_BEFORE,
  PAYER,
  reseal,
  splice,
  UINT256_MAX,
  uint40Arbitrary,
  uint256Arbitrary,
} from "./helpers.ts";

const lunch: PaymentRequest = {
  chainId: CHAIN_ID,
  to: PAYER,
  token: TOKEN,
  amount: 5_000_000_000n,
  expiry: PAY_BEFORE,
  memo: "lunch 🍜",
};
const link = encodeRequestLink(lunch);

describe("request links", () => {
  it(`"/request 5 lunch" is a ${link.length}-character link that decodes to the same request`, () => {
    expect(link.startsWith(REQUEST_LINK_PREFIX)).toBe(true);
    expect(link.length).toBeLessThan(120);
    expect(decodeRequestLink(link, { chainId: CHAIN_ID, token: TOKEN })).toEqual(lunch);
  });

  it("random requests survive encode → decode unchanged and re-encode to the same link", () => {
    fc.assert(
      fc.property(
        fc.record({
          chainId: chainIdArbitrary,
          to: addressArbitrary,
          token: addressArbitrary,
          amount: uint256Arbitrary.filter((amount) => amount > 0n),
          expiry: fc.option(uint40Arbitrary, { nil: undefined }),
          memo: fc.option(displayTextArbitrary(100), { nil: undefined }),
        }),
        (request: PaymentRequest) => {
          const encoded = encodeRequestLink(request);
          const decoded = decodeRequestLink(encoded);
          // toEqual treats an undefined property as absent, as the decoder leaves it.
          expect(decoded).toEqual(request);
          expect(encodeRequestLink(decoded)).toBe(encoded);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("every single-character change and every truncation is refused as damaged", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const payload = link.slice(REQUEST_LINK_PREFIX.length);
    for (let i = 0; i < payload.length; i++) {
      for (const char of alphabet) {
        if (char === payload[i]) continue;
        const mangled = REQUEST_LINK_PREFIX + payload.slice(0, i) + char + payload.slice(i + 1);
        expect((await linkError(() => decodeRequestLink(mangled))).code).toBe("DAMAGED");
      }
    }
    for (let length = REQUEST_LINK_PREFIX.length; length < link.length; length++) {
      expect((await linkError(() => decodeRequestLink(link.slice(0, length)))).code).toBe("DAMAGED");
    }
  });

  it("a link for another chain or token is refused", async () => {
    expect(await linkError(() => decodeRequestLink(link, { chainId: 10 }))).toEqual({
      code: "WRONG_CHAIN",
      message: "link is for chain 31337, wallet is on chain 10",
    });
    expect(await linkError(() => decodeRequestLink(link, { token: PAYER }))).toEqual({
      code: "WRONG_TOKEN",
      message: `link is for token ${TOKEN}, wallet uses token ${PAYER}`,
    });
  });

  it("an invoice prefix, an unknown version and a zero amount are refused", async () => {
    expect(
      await linkError(() => decodeRequestLink(INVOICE_LINK_PREFIX + link.slice(REQUEST_LINK_PREFIX.length))),
    ).toEqual({
      code: "INVALID_PREFIX",
      message: `not a request link: expected "gram:request/…", got "${INVOICE_LINK_PREFIX}${link.slice(REQUEST_LINK_PREFIX.length, REQUEST_LINK_PREFIX.length + 67)}…"`,
    });
    const v2 = reseal(link, REQUEST_LINK_PREFIX, (p) => splice(p, 1, 1, Uint8Array.of(2)));
    expect(await linkError(() => decodeRequestLink(v2))).toEqual({
      code: "UNSUPPORTED_VERSION",
      message: "request link: layout version 2 is not supported (this wallet reads version 1)",
    });
    // amount 5e9 is a length byte 5 after kind, version, chain id (3 bytes) and two addresses.
    const zero = reseal(link, REQUEST_LINK_PREFIX, (p) => splice(p, 45, 6, Uint8Array.of(0)));
    expect(await linkError(() => decodeRequestLink(zero))).toEqual({
      code: "INVALID_AMOUNT",
      message: "amount: got 0, expected at least 1 base unit",
    });
    expect((await linkError(() => encodeRequestLink({ ...lunch, amount: 0n }))).code).toBe("INVALID_AMOUNT");
    expect((await linkError(() => encodeRequestLink({ ...lunch, amount: UINT256_MAX + 1n }))).code).toBe("MALFORMED");
  });

  it("memos that could spoof the summary are refused on both sides", async () => {
    for (const memo of ["", "paid\nTo: 0xattacker", "\u001b[2J", "abc\u202edcba", "e\u0301", "x".repeat(281)]) {
      expect((await linkError(() => encodeRequestLink({ ...lunch, memo }))).code).toBe("INVALID_TEXT");
    }
    const spoofed = reseal(link, REQUEST_LINK_PREFIX, (p) => {
      const memo = new TextEncoder().encode("lunch 🍜");
      return Uint8Array.from([...p.subarray(0, p.length - memo.length), ...new TextEncoder().encode("lunch\n🍜")]);
    });
    expect(await linkError(() => decodeRequestLink(spoofed))).toEqual({
      code: "INVALID_TEXT",
      message: "memo: contains U+000A at position 5, a control or formatting character",
    });
  });
});
