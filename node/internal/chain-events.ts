import type { Hex } from "viem";

/** Where an event happened. Addresses are lowercase throughout the indexer. */
export interface EventMeta {
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  txHash: Hex;
  /** The emitting contract. */
  address: Hex;
}

/** What an event says, apart from where it happened. */
export type EventBody =
  | { kind: "Transfer"; from: Hex; to: Hex; value: bigint }
  | { kind: "AuthorizationUsed" | "AuthorizationCanceled"; authorizer: Hex; nonce: Hex }
  | { kind: "InvoicePaid"; id: Hex; merchant: Hex; payer: Hex; token: Hex; amount: bigint; tip: bigint }
  | { kind: "InvoiceCanceled"; merchant: Hex; nonce: bigint }
  | { kind: "PaymentCaptured"; id: Hex; amount: bigint; cashback: bigint }
  | { kind: "PaymentVoided" | "PaymentReclaimed" | "PaymentRefunded"; id: Hex; amount: bigint }
  | { kind: "PaymentDisputed"; id: Hex }
  | { kind: "DisputeResolved"; id: Hex; toPayer: bigint; toMerchant: bigint; cashback: bigint }
  | { kind: "MerchantWithdrew"; merchant: Hex; token: Hex; to: Hex; amount: bigint; fee: bigint }
  | { kind: "FeesCollected"; token: Hex; treasury: Hex; amount: bigint }
  | { kind: "PaymentCredited"; id: Hex; payer: Hex; token: Hex; amount: bigint }
  | { kind: "CreditClaimed"; account: Hex; token: Hex; to: Hex; amount: bigint };

/** The events the indexer applies, decoded from logs. */
export type ChainEvent = EventMeta & EventBody;

/** Events that concern one invoice, found by its id. */
export type InvoiceEvent = Extract<ChainEvent, { id: Hex }>;

/** Events that change an invoice's record: every invoice event but a payer's credit, which names its token. */
export type InvoiceRecordEvent = Exclude<InvoiceEvent, { kind: "PaymentCredited" }>;

/** The contracts the indexer follows, lowercase. */
export interface Contracts {
  gramToken: Hex;
  escrow: Hex;
  /** Other ERC-20s whose transfers are indexed. */
  extraTokens: readonly Hex[];
}
