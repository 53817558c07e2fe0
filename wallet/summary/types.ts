import type { Address, Hex } from "viem";

/** What a signature or transaction does, named as the CLI names it. */
export type SummaryAction =
  | "transfer"
  | "approve"
  | "nativeTransfer"
  | "cancel"
  | "gaslessTransfer"
  | "pay"
  | "payWithPermit"
  | "payWithAuthorization"
  | "cancelInvoice"
  | "capture"
  | "confirm"
  | "void"
  | "reclaim"
  | "refund"
  | "dispute"
  | "resolve"
  | "withdraw"
  | "permit"
  | "signInvoice"
  | "cancelAuthorization";

export interface SummaryAmount {
  units: bigint;
  /** With the token's own decimals: "12.5". */
  formatted: string;
}

export interface SummaryToken {
  address: Address;
  symbol: string;
  decimals: number;
}

export interface SummaryFee {
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** gas × maxFeePerGas: the most this can cost, in the chain's native currency. */
  max: SummaryAmount;
  symbol: string;
}

/**
 * What the user is shown before anything is signed, decoded from the exact bytes or typed data to be
 * signed. Every field is present (undefined when it does not apply) so that two summaries compare with
 * a deep equality.
 */
export interface TransactionSummary {
  /** A transaction sent from this account, or a signature someone else (a relayer, the escrow) submits. */
  kind: "transaction" | "signature";
  action: SummaryAction;
  chainId: number;
  chainName: string | undefined;
  from: Address;
  /** The contract called (or the account a plain transfer pays); for a signature, its verifying contract. */
  contract: Address;
  /** Whether `contract` is the configured GramToken or MerchantEscrow. */
  knownContract: "token" | "escrow" | undefined;
  /** Who ends up with the funds (the merchant for payments, the payer for refunds and voids). */
  recipient: Address | undefined;
  token: SummaryToken | undefined;
  amount: SummaryAmount | undefined;
  /** Invoice payments: the tip on top of `amount`. */
  tip: SummaryAmount | undefined;
  invoiceId: Hex | undefined;
  /** Undefined for signatures: a relayer pays their gas. */
  fee: SummaryFee | undefined;
  /** Unix seconds after which it is no longer valid (payBefore, validBefore, a permit's deadline). */
  expiry: number | undefined;
  /** Set for a replacement (speed-up, cancel): the nonce it takes over. */
  nonce: number | undefined;
  /** Facts that did not come from the signed bytes, e.g. "amount: what the escrow holds now". */
  notes: string[];
}
