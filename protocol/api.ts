// What the node's HTTP/WebSocket API answers, as zod schemas a wallet can parse responses with, and
// the messages of `/v1/stream`. Amounts are unsigned decimal strings of base units (JSON has no
// bigint); addresses are EIP-55 checksummed in responses, hashes and ids lowercase 0x-hex. Every entry
// says how deep it is: `confirmations` (1 = in the head block) and `confirmed` (at least the node's
// configured depth). See docs/API.md for every route with an example.
import { z } from "zod";
import { INVOICE_CHANGES, INVOICE_RECORD_STATUSES } from "./invoice-state.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const hash = z.string().regex(/^0x[0-9a-f]{64}$/);
const amount = z.string().regex(/^(0|[1-9]\d*)$/);
const block = z.number().int().nonnegative();
const depth = { confirmations: z.number().int().nonnegative(), confirmed: z.boolean() };

/** Errors are `{ error: { code, message } }`; the HTTP status goes with the code. */
export const API_ERROR_STATUS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** `GET /v1/status`. Block numbers are null until the indexer has seen the chain. */
export const statusResponseSchema = z.object({
  chainId: z.number().int().positive(),
  phase: z.enum(["idle", "backfill", "realtime", "stopped", "failed"]),
  head: block.nullable(),
  indexedBlock: block.nullable(),
  indexedHash: hash.nullable(),
  finalizedBlock: z.number().int().nullable(),
  /** head − indexedBlock, as of the last head read: see `headAge` and `stalled` for how old that is. */
  lag: z.number().int().nullable(),
  /** Not following the head: backfilling, more than 2 blocks behind, stalled, or not started. */
  syncing: z.boolean(),
  /** Seconds since the node last read the chain's head; null before the first read. */
  headAge: z.number().nonnegative().nullable(),
  /** The last RPC request or sync step that failed (`at`: ISO 8601); null when none has. */
  lastRpcError: z.object({ message: z.string(), at: z.string() }).nullable(),
  /**
   * No progress (a head read with the index caught up to it, or a batch committed) for longer than
   * the node allows, max(10 s, 10 polling intervals): `head` and `lag` are stale; `/healthz` answers 503.
   */
  stalled: z.boolean(),
  /** Share of the blocks from the deploy block to the head that are indexed, 0..1. */
  progress: z.number().min(0).max(1),
  eventsIndexed: z.number().int().nonnegative(),
  /** The depth at which entries count as `confirmed`. */
  confirmations: z.number().int().positive(),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

export const tokenBalanceSchema = z.object({
  token: address,
  /** Null for a token the node does not track (seen only in the escrow). */
  symbol: z.string().nullable(),
  decimals: z.number().int().nonnegative().nullable(),
  /** Every indexed block counted, pending ones included. */
  balance: amount,
  /** As of `confirmedBlock`: what a wallet may call received. */
  confirmed: amount,
});
export type TokenBalance = z.infer<typeof tokenBalanceSchema>;

/** `GET /v1/accounts/:address`: every tracked token, zero balances included. */
export const accountResponseSchema = z.object({
  address,
  /** The indexed block `balance` is as of (pending included). */
  block: block.nullable(),
  /** The newest block with the node's confirmation depth: `confirmed` is as of it. */
  confirmedBlock: z.number().int().nullable(),
  balances: z.array(tokenBalanceSchema),
});
export type AccountResponse = z.infer<typeof accountResponseSchema>;

const where = { block, logIndex: z.number().int().nonnegative(), tx: hash, ...depth };

/** One line of an account's history, newest first. */
export const historyItemSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("transfer"),
    direction: z.enum(["in", "out"]),
    token: address,
    from: address,
    to: address,
    value: amount,
    ...where,
  }),
  z.object({
    type: z.literal("authorization"),
    state: z.enum(["used", "canceled"]),
    token: address,
    nonce: hash,
    ...where,
  }),
  z.object({
    type: z.literal("invoice"),
    event: z.enum(INVOICE_CHANGES),
    id: hash,
    token: address,
    amount,
    ...where,
  }),
  z.object({ type: z.literal("invoice_canceled"), nonce: amount, ...where }),
  z.object({ type: z.literal("withdrawal"), token: address, to: address, amount, fee: amount, ...where }),
]);
export type HistoryItem = z.infer<typeof historyItemSchema>;

/** `GET /v1/accounts/:address/history`. Pass `cursor` back for the next (older) page; null: last page. */
export const historyResponseSchema = z.object({
  address,
  items: z.array(historyItemSchema),
  cursor: z.string().nullable(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

/** `GET /v1/invoices/:id`: a paid invoice's lifecycle. Depth counts from its last change. */
export const invoiceResponseSchema = z.object({
  id: hash,
  status: z.enum(INVOICE_RECORD_STATUSES),
  merchant: address,
  payer: address,
  token: address,
  symbol: z.string().nullable(),
  decimals: z.number().int().nonnegative().nullable(),
  amount,
  tip: amount,
  held: amount,
  captured: amount,
  cashback: amount,
  refunded: amount,
  disputed: z.boolean(),
  resolved: z.boolean(),
  voided: z.boolean(),
  reclaimed: z.boolean(),
  paidBlock: block,
  paidTx: hash,
  updatedBlock: block,
  ...depth,
});
export type InvoiceResponse = z.infer<typeof invoiceResponseSchema>;

/** `GET /v1/merchants/:address/invoices`, newest payment first. */
export const merchantInvoicesResponseSchema = z.object({
  merchant: address,
  items: z.array(invoiceResponseSchema),
  cursor: z.string().nullable(),
});
export type MerchantInvoicesResponse = z.infer<typeof merchantInvoicesResponseSchema>;

/** `GET /v1/merchants/:address/balances`: what the escrow owes the merchant, per token. */
export const merchantBalancesResponseSchema = z.object({
  merchant: address,
  block: block.nullable(),
  confirmedBlock: z.number().int().nullable(),
  balances: z.array(tokenBalanceSchema),
});
export type MerchantBalancesResponse = z.infer<typeof merchantBalancesResponseSchema>;

/** Caps on one `/v1/stream` connection. */
export const STREAM_LIMITS = { addresses: 1_000, invoices: 1_000, messageBytes: 64 * 1024 } as const;

const subscription = z
  .object({
    addresses: z.array(z.string()).max(STREAM_LIMITS.addresses).optional(),
    invoices: z.array(z.string()).max(STREAM_LIMITS.invoices).optional(),
  })
  .strict();

/** What a client sends on `/v1/stream`. Items are checked one by one by the server (address checksum, id length). */
export const streamClientMessageSchema = z.union([
  z.object({ subscribe: subscription }).strict(),
  z.object({ unsubscribe: subscription }).strict(),
]);
export type StreamClientMessage = z.infer<typeof streamClientMessageSchema>;

/**
 * An indexed event as the stream sends it: where it happened, then what it says (amounts as decimal
 * strings). Invoice events carry the invoice's merchant and payer when the node knows them.
 */
export const streamEventSchema = z
  .object({
    kind: z.string(),
    block,
    blockHash: hash,
    logIndex: z.number().int().nonnegative(),
    tx: hash,
    /** The emitting contract. */
    contract: address,
  })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type StreamEvent = z.infer<typeof streamEventSchema>;

const blockRef = z.object({ number: block, hash });

/** What the node sends on `/v1/stream`. */
export const streamServerMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribed"), addresses: z.array(address), invoices: z.array(hash) }),
  z.object({ type: z.literal("event"), event: streamEventSchema, ...depth }),
  z.object({
    type: z.literal("reverted"),
    event: streamEventSchema,
    /** The reorg that removed it: the store went back from `from` to `to` (the common ancestor). */
    reorg: z.object({ from: blockRef, to: blockRef }),
  }),
  z.object({ type: z.literal("error"), error: apiErrorSchema.shape.error }),
]);
export type StreamServerMessage = z.infer<typeof streamServerMessageSchema>;
