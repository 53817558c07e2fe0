import type { Hex } from "viem";
import type { InvoiceChange } from "../../protocol/invoice-state.ts";
import { StoreCorruptError } from "../errors.ts";
import type { ChainEvent, InvoiceRecordEvent } from "../internal/chain-events.ts";
import {
  balanceKey,
  canceledInvoiceKey,
  creditKey,
  escrowBalanceKey,
  eventsKey,
  feesKey,
  historyKey,
  invoiceKey,
  merchantInvoiceKey,
  nonceKey,
  payerInvoiceKey,
} from "../store/keys.ts";
import type { Overlay } from "../store/overlay.ts";
import { decodeInvoice, encodeInvoice, type HistoryEntry, type InvoiceRecord } from "../store/records.ts";

/** What applying reads and writes: the batch's overlay. */
export type StateAccess = Pick<Overlay, "get" | "set">;

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Loads every key `applyEvents` will read, in two rounds: the keys the events name (balances,
 * invoices, nonces), then the escrow balances of the invoices they touch (merchant and token are in
 * the invoice, paid in this batch or earlier).
 */
export async function loadEventState(overlay: Overlay, events: readonly ChainEvent[]): Promise<void> {
  const keys: string[] = [eventsKey];
  const paidHere = new Map<Hex, { merchant: Hex; token: Hex }>();
  for (const event of events) {
    switch (event.kind) {
      case "Transfer":
        if (event.from !== ZERO) keys.push(balanceKey(event.address, event.from));
        if (event.to !== ZERO) keys.push(balanceKey(event.address, event.to));
        break;
      case "InvoicePaid":
        paidHere.set(event.id, event);
        keys.push(invoiceKey(event.id));
        break;
      case "MerchantWithdrew":
        keys.push(escrowBalanceKey(event.merchant, event.token), feesKey(event.token));
        break;
      case "FeesCollected":
        keys.push(feesKey(event.token));
        break;
      case "PaymentCredited":
        keys.push(creditKey(event.payer, event.token));
        break;
      case "CreditClaimed":
        keys.push(creditKey(event.account, event.token));
        break;
      case "AuthorizationUsed":
      case "AuthorizationCanceled":
      case "InvoiceCanceled":
        break;
      default:
        keys.push(invoiceKey(event.id));
    }
  }
  await overlay.load(keys);
  const escrowKeys: string[] = [];
  for (const event of events) {
    if (!("id" in event) || event.kind === "InvoicePaid" || event.kind === "PaymentCredited") continue;
    const stored = overlay.get(invoiceKey(event.id));
    const invoice = stored === undefined ? paidHere.get(event.id) : decodeInvoice(stored);
    if (invoice !== undefined) escrowKeys.push(escrowBalanceKey(invoice.merchant, invoice.token));
  }
  await overlay.load(escrowKeys);
}

/**
 * Applies decoded events, in chain order, to the state: balances from transfers; the escrow's
 * merchant balances, fees and invoices from its events; ERC-3009 nonces; history entries for everyone
 * involved. Pure over `state`: no I/O, so a batch is computed whole before anything is written.
 *
 * @example
 * await loadEventState(overlay, events);
 * applyEvents(overlay, events);
 */
export function applyEvents(state: StateAccess, events: readonly ChainEvent[]): void {
  for (const event of events) applyEvent(state, event);
  if (events.length > 0) addAmount(state, eventsKey, BigInt(events.length));
}

function applyEvent(state: StateAccess, event: ChainEvent): void {
  const at = (account: Hex, n: number, entry: HistoryEntry) =>
    state.set(historyKey(account, event.blockNumber, event.logIndex, n), JSON.stringify(entry));
  const tx = event.txHash;
  switch (event.kind) {
    case "Transfer": {
      const { address: token, from, to, value } = event;
      const entry = { type: "transfer", token, from, to, value: value.toString(), tx } as const;
      if (from !== ZERO) {
        addAmount(state, balanceKey(token, from), -value);
        at(from, 0, { ...entry, direction: "out" });
      }
      if (to !== ZERO) {
        addAmount(state, balanceKey(token, to), value);
        at(to, 1, { ...entry, direction: "in" });
      }
      return;
    }
    case "AuthorizationUsed":
    case "AuthorizationCanceled": {
      const state_ = event.kind === "AuthorizationUsed" ? "used" : "canceled";
      state.set(nonceKey(event.address, event.authorizer, event.nonce), state_);
      at(event.authorizer, 0, { type: "authorization", state: state_, token: event.address, nonce: event.nonce, tx });
      return;
    }
    case "InvoiceCanceled":
      state.set(canceledInvoiceKey(event.merchant, event.nonce), String(event.blockNumber));
      at(event.merchant, 0, { type: "invoice_canceled", nonce: event.nonce.toString(), tx });
      return;
    case "MerchantWithdrew": {
      const { merchant, token, to, amount, fee } = event;
      addAmount(state, escrowBalanceKey(merchant, token), -amount);
      addAmount(state, feesKey(token), fee);
      at(merchant, 0, { type: "withdrawal", token, to, amount: amount.toString(), fee: fee.toString(), tx });
      return;
    }
    case "FeesCollected":
      addAmount(state, feesKey(event.token), -event.amount);
      return;
    // What the escrow could not send the payer (cashback, a ruling's share) waits for its claim. The
    // invoice's record already counts it through PaymentCaptured or DisputeResolved.
    case "PaymentCredited":
      addAmount(state, creditKey(event.payer, event.token), event.amount);
      return;
    case "CreditClaimed":
      addAmount(state, creditKey(event.account, event.token), -event.amount);
      return;
    case "InvoicePaid": {
      const invoice: InvoiceRecord = {
        id: event.id,
        merchant: event.merchant,
        payer: event.payer,
        token: event.token,
        amount: event.amount,
        tip: event.tip,
        held: event.amount,
        captured: 0n,
        cashback: 0n,
        refunded: 0n,
        disputed: false,
        resolved: false,
        voided: false,
        reclaimed: false,
        paidBlock: event.blockNumber,
        paidTx: tx,
        updatedBlock: event.blockNumber,
      };
      state.set(invoiceKey(event.id), encodeInvoice(invoice));
      state.set(merchantInvoiceKey(event.merchant, event.blockNumber, event.logIndex, event.id), "");
      state.set(payerInvoiceKey(event.payer, event.blockNumber, event.logIndex, event.id), "");
      invoiceHistory(at, invoice, { event: "paid", amount: event.amount, tx });
      return;
    }
    default:
      applyInvoiceEvent(state, event, at);
  }
}

type At = (account: Hex, n: number, entry: HistoryEntry) => void;

function applyInvoiceEvent(state: StateAccess, event: Exclude<InvoiceRecordEvent, { kind: "InvoicePaid" }>, at: At) {
  const stored = state.get(invoiceKey(event.id));
  if (stored === undefined) {
    throw new StoreCorruptError(`invoice ${event.id} has a ${event.kind} event but was never paid`, {
      details: `block ${event.blockNumber}, log ${event.logIndex}`,
      hint: "index from the escrow's deploy block, or the data folder lost its invoices",
    });
  }
  const invoice = decodeInvoice(stored);
  const escrow = escrowBalanceKey(invoice.merchant, invoice.token);
  let amount: bigint;
  let name: InvoiceChange;
  switch (event.kind) {
    case "PaymentCaptured":
      invoice.held -= event.amount;
      invoice.captured += event.amount;
      invoice.cashback += event.cashback;
      addAmount(state, escrow, event.amount - event.cashback);
      // Confirming ends an open dispute; a capture never happens during one.
      invoice.disputed = false;
      [amount, name] = [event.amount, "captured"];
      break;
    case "DisputeResolved":
      invoice.held = 0n;
      invoice.captured += event.toMerchant;
      invoice.cashback += event.cashback;
      invoice.disputed = false;
      invoice.resolved = true;
      addAmount(state, escrow, event.toMerchant - event.cashback);
      [amount, name] = [event.toMerchant, "resolved"];
      break;
    case "PaymentVoided":
    case "PaymentReclaimed":
      invoice.held -= event.amount;
      invoice.disputed = false;
      if (event.kind === "PaymentVoided") invoice.voided = true;
      else invoice.reclaimed = true;
      [amount, name] = [event.amount, event.kind === "PaymentVoided" ? "voided" : "reclaimed"];
      break;
    case "PaymentRefunded": {
      invoice.refunded += event.amount;
      // The escrow pays from the merchant's balance first; the rest came from the merchant's wallet.
      const balance = readAmount(state, escrow);
      addAmount(state, escrow, -minimum(event.amount, balance));
      [amount, name] = [event.amount, "refunded"];
      break;
    }
    case "PaymentDisputed":
      invoice.disputed = true;
      [amount, name] = [0n, "disputed"];
      break;
  }
  invoice.updatedBlock = event.blockNumber;
  state.set(invoiceKey(event.id), encodeInvoice(invoice));
  invoiceHistory(at, invoice, { event: name, amount, tx: event.txHash });
}

function invoiceHistory(
  at: At,
  invoice: InvoiceRecord,
  { event, amount, tx }: { event: InvoiceChange; amount: bigint; tx: Hex },
) {
  const entry = {
    type: "invoice",
    event,
    id: invoice.id,
    token: invoice.token,
    amount: amount.toString(),
    tx,
  } as const;
  at(invoice.merchant, 0, entry);
  if (invoice.payer !== invoice.merchant) at(invoice.payer, 1, entry);
}

function minimum(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function readAmount(state: StateAccess, key: string): bigint {
  const value = state.get(key);
  return value === undefined ? 0n : BigInt(value);
}

/** Adds `delta` to the amount at `key`; zero deletes the key. A negative result is a bug or bad data. */
function addAmount(state: StateAccess, key: string, delta: bigint): void {
  const next = readAmount(state, key) + delta;
  if (next < 0n) {
    throw new StoreCorruptError(`amount at ${key} would become negative (${next})`, {
      // Nothing in one eth_getLogs answer shows a log left out of it: the likeliest cause is the RPC.
      hint: "an event is missing: the RPC endpoint may have omitted a log from an eth_getLogs answer; reindex into an empty data folder, through another endpoint if it happens again",
    });
  }
  state.set(key, next === 0n ? null : next.toString());
}
