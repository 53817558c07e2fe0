import type { Hex } from "viem";
import type { InvoiceChange, InvoiceRecordStatus } from "../../protocol/invoice-state.ts";

/** An invoice's lifecycle as the events tell it. Amounts in the token's base units. */
export interface InvoiceRecord {
  id: Hex;
  merchant: Hex;
  payer: Hex;
  token: Hex;
  amount: bigint;
  tip: bigint;
  /** Paid in and neither captured nor returned yet. */
  held: bigint;
  /** Moved from held to the merchant (captures, confirmations, the arbiter's share), cashback included. */
  captured: bigint;
  /** Paid back to the payer out of what was captured. */
  cashback: bigint;
  refunded: bigint;
  /** A dispute is open. */
  disputed: boolean;
  resolved: boolean;
  voided: boolean;
  reclaimed: boolean;
  paidBlock: number;
  paidTx: Hex;
  updatedBlock: number;
}

/** Where the invoice stands, from its record: see `INVOICE_RECORD_STATUSES`. */
export function invoiceStatus(invoice: InvoiceRecord): InvoiceRecordStatus {
  if (invoice.held > 0n) {
    if (invoice.disputed) return "disputed";
    return invoice.captured > 0n ? "partially_captured" : "paid";
  }
  if (invoice.captured > 0n) {
    return invoice.refunded >= invoice.captured - invoice.cashback ? "refunded" : "captured";
  }
  return invoice.reclaimed ? "reclaimed" : "voided";
}

const bigintFields = ["amount", "tip", "held", "captured", "cashback", "refunded"] as const;

export function encodeInvoice(invoice: InvoiceRecord): string {
  return JSON.stringify(invoice, (_, value) => (typeof value === "bigint" ? value.toString() : value));
}

export function decodeInvoice(value: string): InvoiceRecord {
  const raw = JSON.parse(value) as Record<string, unknown>;
  for (const field of bigintFields) raw[field] = BigInt(raw[field] as string);
  return raw as unknown as InvoiceRecord;
}

/** One line of an account's history. Its block and log index are in its key. */
export type HistoryEntry =
  | { type: "transfer"; direction: "in" | "out"; token: Hex; from: Hex; to: Hex; value: string; tx: Hex }
  | { type: "authorization"; state: "used" | "canceled"; token: Hex; nonce: Hex; tx: Hex }
  | {
      type: "invoice";
      event: InvoiceChange;
      id: Hex;
      token: Hex;
      /** The event's amount (paid, captured, returned, refunded; for resolved: to the merchant). */
      amount: string;
      tx: Hex;
    }
  | { type: "invoice_canceled"; nonce: string; tx: Hex }
  | { type: "withdrawal"; token: Hex; to: Hex; amount: string; fee: string; tx: Hex };

/** A history entry with where it happened, as a reader gets it. */
export type HistoryItem = HistoryEntry & { block: number; logIndex: number };
