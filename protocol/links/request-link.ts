// `gram:request/…` links: "pay me this much of this token", from `gram request` and the chat's `/request`.
// Nothing is signed (whoever sends the link is asking to be paid), but the link is checksummed like an
// invoice link so that a changed recipient or amount is refused rather than paid.
//
// Layout, version 1: "gram:request/" + base64url(payload ‖ first 4 bytes of keccak256(payload)), with the
// integer and string encodings of invoice links (see invoice-link.ts).
//
//   field     bytes  notes
//   kind      1      0x72 ("r")
//   version   1      0x01
//   chainId   1+n    varuint, n ≤ 7
//   to        20     the payee
//   token     20     the ERC-20 asked for
//   amount    1+n    varuint, in base units, at least 1
//   flags     1      bit 0: expiry present; bit 1: memo present; other bits zero
//   expiry    5      uint40 unix time, only with bit 0
//   memo      …      string, only with bit 1, not empty
import type { Address } from "viem";
import { ByteReader, ByteWriter, readHeader, sealLink, unsealLink } from "./codec.ts";
import { LinkError } from "./errors.ts";
import { checkLinkTarget, type LinkTargetOptions, readChainId, writeChainId } from "./target.ts";
import { checkDisplayText } from "./text.ts";

export const REQUEST_LINK_PREFIX = "gram:request/";
export const REQUEST_LINK_KIND = 0x72;
export const REQUEST_LINK_VERSION = 1;
export const MEMO_MAX_LENGTH = 280;

const WHAT = "request link";
const FLAG_EXPIRY = 1;
const FLAG_MEMO = 2;

export interface PaymentRequest {
  chainId: number;
  to: Address;
  token: Address;
  /** In the token's base units. */
  amount: bigint;
  /** Unix time after which the payee no longer expects this payment. */
  expiry?: number | undefined;
  memo?: string | undefined;
}

/**
 * Encodes a payment request as a `gram:request/` link.
 *
 * @example
 * const link = encodeRequestLink({ chainId: 31337, to: bob, token: gram, amount: 5_000_000_000n, memo: "lunch" });
 */
export function encodeRequestLink({ chainId, to, token, amount, expiry, memo }: PaymentRequest): string {
  checkRequest(amount, memo);
  const out = new ByteWriter().byte(REQUEST_LINK_KIND).byte(REQUEST_LINK_VERSION);
  writeChainId(out, chainId);
  out
    .address(to, "to")
    .address(token, "token")
    .varUint(amount, "amount")
    .byte((expiry === undefined ? 0 : FLAG_EXPIRY) | (memo === undefined ? 0 : FLAG_MEMO));
  if (expiry !== undefined) out.uint(expiry, 5, "expiry");
  if (memo !== undefined) out.string(memo);
  return sealLink(REQUEST_LINK_PREFIX, out.finish());
}

/**
 * Decodes a `gram:request/` link, refusing a damaged one and one for another chain or token than the
 * wallet's. Whether `expiry` has passed is the caller's call, against the chain's clock.
 *
 * @example
 * const { to, amount, memo } = decodeRequestLink(link, { chainId: 31337, token: gram });
 */
export function decodeRequestLink(link: string, options: LinkTargetOptions = {}): PaymentRequest {
  const data = new ByteReader(unsealLink(link, REQUEST_LINK_PREFIX, WHAT), WHAT);
  readHeader(data, REQUEST_LINK_KIND, REQUEST_LINK_VERSION, WHAT);
  const chainId = readChainId(data);
  const to = data.address("to");
  const token = data.address("token");
  const amount = data.varUint("amount");
  const flags = data.byte("flags");
  if ((flags & ~(FLAG_EXPIRY | FLAG_MEMO)) !== 0) data.fail(`unknown flags 0x${flags.toString(16)}`);
  const expiry = flags & FLAG_EXPIRY ? Number(data.uint(5, "expiry")) : undefined;
  const memo = flags & FLAG_MEMO ? data.string("memo", 4 * MEMO_MAX_LENGTH) : undefined;
  data.end();
  checkRequest(amount, memo);
  checkLinkTarget(WHAT, { chainId, token }, options);
  return {
    chainId,
    to,
    token,
    amount,
    ...(expiry === undefined ? {} : { expiry }),
    ...(memo === undefined ? {} : { memo }),
  };
}

function checkRequest(amount: bigint, memo: string | undefined) {
  if (amount <= 0n) throw new LinkError("INVALID_AMOUNT", `amount: got ${amount}, expected at least 1 base unit`);
  if (memo === undefined) return;
  if (memo === "") throw new LinkError("INVALID_TEXT", "memo: must be absent rather than empty");
  checkDisplayText(memo, "memo", MEMO_MAX_LENGTH);
}
