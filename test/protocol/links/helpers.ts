// Shared by the link tests: well-known dev keys, a typical invoice, signing, and `reseal`, which changes a
// link's payload and recomputes its checksum, the way an attacker (not a transmission error) would.
import fc from "fast-check";
import { type Address, bytesToHex, getAddress, type Hex, keccak256, stringToHex, zeroAddress } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { expect } from "vitest";
import { escrowDomain, invoiceTypes } from "../../../protocol/eip712.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { base64UrlDecode, base64UrlEncode } from "../../../protocol/links/codec.ts";
import { LinkError, type LinkErrorCode } from "../../../protocol/links/errors.ts";
import { type InvoiceMetadata, metadataHash } from "../../../protocol/links/metadata.ts";
import { checkDisplayText } from "../../../protocol/links/text.ts";
import { DAY } from "../../../scripts/lib/contracts-fixture.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { CHAIN_ID, ESCROW, TOKEN } from "../../kit/constants.ts";

// Hardhat's default accounts #1 and #2: public test keys, never funded anywhere real.
export const merchant = localAccount(ROLE.merchant);
export const stranger = localAccount(ROLE.payer);
export const PAYER: Address = stranger.address;
export const PAY_BEFORE = 1_767_225_600; // 2026-01-01

export const pizza: InvoiceMetadata = {
  title: "Margherita",
  items: [{ name: "Margherita", quantity: "1", price: "12.5" }],
};

/** A café invoice as the fixture builds them: 12.5 GRAM (9 decimals), tip up to 3, payer-bound. */
export function typicalInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    merchant: merchant.address,
    token: TOKEN,
    amount: 12_500_000_000n,
    maxTip: 3_000_000_000n,
    cashbackBps: 0,
    payer: PAYER,
    nonce: 7n,
    payBefore: PAY_BEFORE,
    captureBefore: PAY_BEFORE + 7 * DAY,
    refundBefore: PAY_BEFORE + 30 * DAY,
    ref: keccak256(stringToHex("chat:alice-shop/order-7")),
    metadataHash: metadataHash(pizza),
    ...overrides,
  };
}

export function signInvoice(
  invoice: Invoice,
  {
    signer = merchant,
    chainId = CHAIN_ID,
    escrow = ESCROW,
  }: { signer?: PrivateKeyAccount; chainId?: number; escrow?: Address } = {},
): Promise<Hex> {
  return signer.signTypedData({
    domain: escrowDomain(chainId, escrow),
    types: invoiceTypes,
    primaryType: "Invoice",
    message: invoice,
  });
}

/** Applies `mutate` to the payload of a sealed link and seals it again with a valid checksum. */
export function reseal(link: string, prefix: string, mutate: (payload: Uint8Array) => Uint8Array): string {
  const sealed = base64UrlDecode(link.slice(prefix.length), "link");
  const payload = mutate(Uint8Array.from(sealed.subarray(0, sealed.length - 4)));
  const checksum = keccak256(payload, "bytes").subarray(0, 4);
  const out = new Uint8Array(payload.length + 4);
  out.set(payload);
  out.set(checksum, payload.length);
  return prefix + base64UrlEncode(out);
}

/** Replaces `length` bytes at `offset` of a payload. */
export function splice(payload: Uint8Array, offset: number, length: number, replacement: Uint8Array): Uint8Array {
  return Uint8Array.from([...payload.subarray(0, offset), ...replacement, ...payload.subarray(offset + length)]);
}

/** Where `needle` starts in `haystack`; fails the test when it is not there exactly once. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  const hex = bytesToHex(haystack).slice(2);
  const target = bytesToHex(needle).slice(2);
  const matches: number[] = [];
  for (let i = hex.indexOf(target); i !== -1; i = hex.indexOf(target, i + 1)) if (i % 2 === 0) matches.push(i / 2);
  expect(matches).toHaveLength(1);
  return matches[0] as number;
}

/** The LinkError `run` throws (sync or async), as { code, message: its short message } for exact comparison. */
export async function linkError(run: () => unknown): Promise<{ code: LinkErrorCode; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LinkError) return { code: error.code, message: error.shortMessage };
    throw error;
  }
  throw new Error("expected a LinkError, but nothing was thrown");
}

export const UINT256_MAX = 2n ** 256n - 1n;
export const addressArbitrary = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => getAddress(bytesToHex(bytes)));
export const bytes32Arbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytesToHex(bytes));
export const uint256Arbitrary = fc.oneof(
  fc.bigInt({ min: 0n, max: UINT256_MAX }),
  fc.bigInt({ min: 0n, max: 2n ** 64n }),
  fc.constantFrom(0n, 1n, 255n, 256n, UINT256_MAX),
);
export const uint40Arbitrary = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 - 1 }), fc.constantFrom(0, 2 ** 40 - 1));
export const chainIdArbitrary = fc.oneof(
  fc.constantFrom(1, 10, 8453, 31337, 11155111, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);

/** Text that passes the display rules (Unicode and ASCII graphemes, kept when checkDisplayText accepts them). */
export const displayTextArbitrary = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength }),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength }),
    )
    .map((text) => text.normalize("NFC"))
    .filter((text) => {
      try {
        checkDisplayText(text, "text", maxLength);
        return true;
      } catch {
        return false;
      }
    });

export const decimalArbitrary = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }))
  .map(([whole, fraction]) => (fraction === undefined ? `${whole}` : `${whole}.${fraction}`));

export const metadataArbitrary: fc.Arbitrary<InvoiceMetadata> = fc
  .record({
    title: displayTextArbitrary(40),
    items: fc.array(
      fc.record({ name: displayTextArbitrary(30), quantity: decimalArbitrary, price: decimalArbitrary }),
      { maxLength: 4 },
    ),
    memo: fc.option(displayTextArbitrary(60), { nil: undefined }),
  })
  .map(({ memo, ...rest }) => (memo === undefined ? rest : { ...rest, memo }));

export const payerArbitrary = fc.oneof(fc.constant(zeroAddress as Address), addressArbitrary);
