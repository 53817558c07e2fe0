// What a wallet sends to the node's relayer and what it gets back. The wallet signs; the relayer
// checks and submits from its own key, paying the gas. Amounts and times travel as decimal strings
// (JSON has no bigint); the schemas turn them into bigints.
import { type Address, type Hex, isHex } from "viem";
import { z } from "zod";
import { addressSchema as address } from "./checksum.ts";

const uint = (bits: number) =>
  z
    .string()
    .regex(/^(0|[1-9]\d*)$/, { message: "expected a non-negative integer as a decimal string" })
    .transform((value) => BigInt(value))
    .refine((value) => value < 2n ** BigInt(bits), { message: `expected at most 2^${bits} - 1` });
const bytes32 = z
  .string()
  .refine((value) => isHex(value, { strict: true }) && value.length === 66, { message: "expected 32 bytes as 0x-hex" })
  .transform((value) => value.toLowerCase() as Hex);
const signature = z
  .string()
  .refine((value) => isHex(value, { strict: true }) && value.length >= 132 && value.length <= 2 + 2 * 4096, {
    message: "expected a signature as 0x-hex (65 bytes, or longer for a contract wallet)",
  })
  .transform((value) => value.toLowerCase() as Hex);

/** `POST /v1/relay/transfer`: an ERC-3009 `TransferWithAuthorization` signed by `from`. */
export const relayTransferRequestSchema = z
  .object({
    chainId: z.number().int().positive(),
    token: address,
    from: address,
    to: address,
    value: uint(256),
    validAfter: uint(256),
    validBefore: uint(256),
    nonce: bytes32,
    signature,
  })
  .strict();

/** The escrow's `Invoice`, as JSON. */
export const invoiceJsonSchema = z
  .object({
    merchant: address,
    token: address,
    amount: uint(256),
    maxTip: uint(256),
    cashbackBps: z.number().int().min(0).max(65_535),
    payer: address,
    nonce: uint(256),
    payBefore: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40 - 1),
    captureBefore: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40 - 1),
    refundBefore: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40 - 1),
    ref: bytes32,
    metadataHash: bytes32,
  })
  .strict();

/**
 * `POST /v1/relay/pay`: pays an invoice through the escrow's `payWithAuthorization`. `signature` is
 * the payer's ERC-3009 `ReceiveWithAuthorization` of `amount + tip` to the escrow, whose nonce is the
 * invoice id (the relayer recomputes it: it is not sent).
 */
export const relayPayRequestSchema = z
  .object({
    chainId: z.number().int().positive(),
    escrow: address,
    invoice: invoiceJsonSchema,
    merchantSignature: signature,
    tip: uint(256),
    payer: address,
    validAfter: uint(256),
    validBefore: uint(256),
    signature,
  })
  .strict();

export type RelayTransferRequest = z.infer<typeof relayTransferRequestSchema>;
export type RelayPayRequest = z.infer<typeof relayPayRequestSchema>;
/** The JSON a wallet sends (before parsing): bigints as decimal strings. */
export type RelayTransferRequestJson = z.input<typeof relayTransferRequestSchema>;
export type RelayPayRequestJson = z.input<typeof relayPayRequestSchema>;

/** A signed `TransferWithAuthorization` as the JSON of `POST /v1/relay/transfer` (bigints as decimal strings). */
export function relayTransferRequestJson({
  chainId,
  token,
  message,
  signature,
}: {
  chainId: number;
  token: Address;
  message: { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex };
  signature: Hex;
}): RelayTransferRequestJson {
  return {
    chainId,
    token,
    from: message.from,
    to: message.to,
    value: message.value.toString(),
    validAfter: message.validAfter.toString(),
    validBefore: message.validBefore.toString(),
    nonce: message.nonce,
    signature,
  };
}

/**
 * The relayer's answer, given once the transaction is broadcast. The same authorization sent again
 * (same payer, same signature) gets the same answer, `duplicate: true`; one whose transaction reverted
 * gets the revert (`REVERTED`). The client checks `txHash` on the chain: after a fee bump by the
 * relayer's watchdog, a copy's answer names the replacement.
 */
export const relayResponseSchema = z.object({
  /** The relayer's transaction carrying the authorization. */
  txHash: bytes32,
  duplicate: z.boolean(),
  /** `transfer`: keccak256 of (from, nonce); `pay`: the invoice id. */
  id: bytes32,
});
export type RelayResponse = z.output<typeof relayResponseSchema>;

/** Errors are `{ error: { code, message } }` with these codes (HTTP 400 unless noted). */
export type RelayErrorCode =
  | "BAD_REQUEST"
  | "WRONG_CHAIN"
  | "UNKNOWN_TOKEN"
  | "INVALID_SIGNATURE"
  | "AUTHORIZATION_NOT_YET_VALID"
  | "AUTHORIZATION_EXPIRED"
  | "NONCE_USED"
  | "INSUFFICIENT_BALANCE"
  | "INVOICE_INVALID"
  | "AMOUNT_TOO_SMALL" // zero, or below the relayer's minimum for the token
  | "GAS_TOO_HIGH" // the transaction, or a contract signer's ERC-1271 check, needs more gas than the relayer pays
  | "REVERTED" // a copy of an authorization whose relayed transaction reverted
  | "RATE_LIMITED" // 429
  | "RELAYER_UNAVAILABLE"; // 503: the chain unreachable, no gas money, the hourly budget spent, a full queue
