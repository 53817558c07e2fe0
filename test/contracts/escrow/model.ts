// A TypeScript model of MerchantEscrow for the property test: what each invoice holds, what each
// merchant may withdraw, what every account's wallet holds, and which error each operation must
// revert with. It is written from the interface's documentation, not from the contract's code.
import { type Address, type Hex, zeroAddress } from "viem";
import type { Invoice } from "../../../protocol/invoice.ts";

const BPS = 10_000n;
const MAX_AMOUNT = 2n ** 104n - 1n;
export const DISPUTE_TIMEOUT = 14 * 86_400;

export interface PaymentModel {
  held: bigint;
  refundable: bigint;
  disputedAt: number;
}

export interface InvoiceModel {
  invoice: Invoice;
  id: Hex;
  /** Who paid it; kept after settlement, unlike the escrow's open-invoice slot. */
  paidBy: Address | undefined;
  payment: PaymentModel;
  /** The model clock when the dispute was opened (the chain's disputedAt is a few seconds later). */
  disputedAtModel: number;
  /** What the payer put into the invoice (its amount, tips excluded). */
  paidIn: bigint;
  /** What went back to the payer: cashback, voids, reclaims, refunds and the arbiter's share. */
  returned: bigint;
  /** Everything moved from held to the merchant so far (captures, confirmations, the arbiter's share). */
  captured: bigint;
  /** The cashback paid so far: always that of `captured`, rounded down once. */
  cashback: bigint;
}

/** An operation either must revert with `error`, or succeeds and `apply` updates the model. */
export type Outcome = { error: string } | { apply: (blockTimestamp: number) => void };

export interface ModelParameters {
  escrow: Address;
  arbiter: Address;
  treasury: Address;
  withdrawFeeBps: bigint;
  now: number;
  wallets: Record<Address, bigint>;
}

export class EscrowModel {
  /** A lower bound of the chain's clock; deadlines are kept hours away from it. */
  now: number;
  readonly wallets: Record<Address, bigint>;
  readonly balances: Record<Address, bigint> = {};
  fees = 0n;
  readonly used = new Set<string>();
  readonly invoices: InvoiceModel[] = [];
  readonly escrow: Address;
  readonly arbiter: Address;
  readonly treasury: Address;
  readonly withdrawFeeBps: bigint;

  constructor(parameters: ModelParameters) {
    this.escrow = parameters.escrow;
    this.arbiter = parameters.arbiter;
    this.treasury = parameters.treasury;
    this.withdrawFeeBps = parameters.withdrawFeeBps;
    this.now = parameters.now;
    this.wallets = { ...parameters.wallets };
  }

  add(invoice: Invoice, id: Hex): InvoiceModel {
    const model: InvoiceModel = {
      invoice,
      id,
      paidBy: undefined,
      payment: { held: 0n, refundable: 0n, disputedAt: 0 },
      disputedAtModel: 0,
      paidIn: 0n,
      returned: 0n,
      captured: 0n,
      cashback: 0n,
    };
    this.invoices.push(model);
    return model;
  }

  isUsed(merchant: Address, nonce: bigint) {
    return this.used.has(`${merchant}:${nonce}`);
  }

  balanceOf(merchant: Address) {
    return this.balances[merchant] ?? 0n;
  }

  /** The escrow's open-invoice payer slot: set while an open invoice holds or owes anything. */
  openInvoicePayer(st: InvoiceModel): Address {
    const { held, refundable } = st.payment;
    if (st.invoice.payer !== zeroAddress || (held === 0n && refundable === 0n)) return zeroAddress;
    return st.paidBy ?? zeroAddress;
  }

  /** The payer the escrow recognizes for `st` right now (zero for a settled or unpaid open invoice). */
  payerOf(st: InvoiceModel): Address {
    return st.invoice.payer !== zeroAddress ? st.invoice.payer : this.openInvoicePayer(st);
  }

  private move(from: Address, to: Address, amount: bigint) {
    if (amount === 0n) return;
    const fromBalance = this.wallets[from];
    const toBalance = this.wallets[to];
    if (fromBalance === undefined || toBalance === undefined) throw new Error(`untracked transfer ${from} -> ${to}`);
    if (fromBalance < amount) throw new Error(`model: ${from} cannot send ${amount}`);
    this.wallets[from] = fromBalance - amount;
    this.wallets[to] = toBalance + amount;
  }

  private credit(merchant: Address, amount: bigint) {
    this.balances[merchant] = this.balanceOf(merchant) + amount;
  }

  private heldError(st: InvoiceModel): string | undefined {
    if (st.payment.held !== 0n) return undefined;
    return st.payment.refundable === 0n ? "EscrowNotPaid" : "EscrowNothingHeld";
  }

  /** pay / payWithAuthorization of `invoice` by `payer` (st is undefined for a malformed invoice). */
  pay(invoice: Invoice, st: InvoiceModel | undefined, payer: Address, tip: bigint, signatureValid: boolean): Outcome {
    if (this.now >= invoice.payBefore) return { error: "EscrowInvoiceExpired" };
    if (invoice.payer !== zeroAddress && invoice.payer !== payer) return { error: "EscrowWrongPayer" };
    if (tip > invoice.maxTip) return { error: "EscrowTipTooHigh" };
    if (invoice.amount === 0n || invoice.amount > MAX_AMOUNT) return { error: "EscrowInvalidAmount" };
    if (invoice.cashbackBps > 10_000) return { error: "EscrowInvalidCashback" };
    if (invoice.captureBefore < invoice.payBefore || invoice.refundBefore < invoice.captureBefore) {
      return { error: "EscrowInvalidDeadlines" };
    }
    if (!signatureValid) return { error: "EscrowInvalidSignature" };
    if (this.isUsed(invoice.merchant, invoice.nonce)) return { error: "EscrowInvoiceUsed" };
    if (st === undefined) throw new Error("model: a malformed invoice passed every check");
    return {
      apply: () => {
        this.used.add(`${invoice.merchant}:${invoice.nonce}`);
        st.paidBy = payer;
        st.paidIn = invoice.amount;
        st.payment = { held: invoice.amount, refundable: 0n, disputedAt: 0 };
        this.move(payer, this.escrow, invoice.amount);
        this.move(payer, invoice.merchant, tip);
      },
    };
  }

  cancel(merchant: Address, nonce: bigint): Outcome {
    if (this.isUsed(merchant, nonce)) return { error: "EscrowInvoiceUsed" };
    return { apply: () => this.used.add(`${merchant}:${nonce}`) };
  }

  /** The cashback owed on capturing `amount` more: that of the new total, less what was paid already. */
  private cashbackOn(st: InvoiceModel, amount: bigint) {
    const cashback = ((st.captured + amount) * BigInt(st.invoice.cashbackBps)) / BPS - st.cashback;
    st.captured += amount;
    st.cashback += cashback;
    return cashback;
  }

  /** Moves `amount` of the held funds to the merchant, the cashback share to the payer. */
  private captureHeld(st: InvoiceModel, amount: bigint) {
    const cashback = this.cashbackOn(st, amount);
    const payer = this.payerOf(st);
    st.payment.held -= amount;
    st.payment.refundable += amount - cashback;
    this.credit(st.invoice.merchant, amount - cashback);
    this.move(this.escrow, payer, cashback);
    st.returned += cashback;
  }

  capture(st: InvoiceModel, caller: Address, amount: bigint): Outcome {
    const { payment, invoice } = st;
    if (caller !== invoice.merchant) return { error: "EscrowNotMerchant" };
    if (this.now >= invoice.captureBefore) return { error: "EscrowAfterCaptureDeadline" };
    const heldError = this.heldError(st);
    if (heldError) return { error: heldError };
    if (payment.disputedAt !== 0) return { error: "EscrowDisputed" };
    if (amount === 0n) return { error: "EscrowZeroAmount" };
    if (amount > payment.held) return { error: "EscrowInsufficientHeld" };
    return { apply: () => this.captureHeld(st, amount) };
  }

  confirm(st: InvoiceModel, caller: Address): Outcome {
    if (caller !== this.payerOf(st)) return { error: "EscrowNotPayer" };
    const heldError = this.heldError(st);
    if (heldError) return { error: heldError };
    return {
      apply: () => {
        st.payment.disputedAt = 0;
        this.captureHeld(st, st.payment.held);
      },
    };
  }

  /** void (by the merchant) and reclaim (by the payer): everything held goes back to the payer. */
  private release(st: InvoiceModel) {
    const payer = this.payerOf(st);
    const amount = st.payment.held;
    st.payment.held = 0n;
    st.payment.disputedAt = 0;
    this.move(this.escrow, payer, amount);
    st.returned += amount;
  }

  void(st: InvoiceModel, caller: Address): Outcome {
    if (caller !== st.invoice.merchant) return { error: "EscrowNotMerchant" };
    const heldError = this.heldError(st);
    if (heldError) return { error: heldError };
    return { apply: () => this.release(st) };
  }

  reclaim(st: InvoiceModel, caller: Address): Outcome {
    if (caller !== this.payerOf(st)) return { error: "EscrowNotPayer" };
    const heldError = this.heldError(st);
    if (heldError) return { error: heldError };
    // An open dispute leaves the arbiter its whole timeout, even past captureBefore.
    const reclaimableAt = st.payment.disputedAt !== 0 ? st.disputedAtModel + DISPUTE_TIMEOUT : st.invoice.captureBefore;
    if (this.now < reclaimableAt) return { error: "EscrowBeforeReclaim" };
    return { apply: () => this.release(st) };
  }

  refund(st: InvoiceModel, caller: Address, amount: bigint): Outcome {
    const { invoice, payment } = st;
    if (caller !== invoice.merchant) return { error: "EscrowNotMerchant" };
    if (this.now >= invoice.refundBefore) return { error: "EscrowAfterRefundDeadline" };
    if (amount === 0n) return { error: "EscrowZeroAmount" };
    if (amount > payment.refundable) return { error: "EscrowInsufficientRefundable" };
    return {
      apply: () => {
        const payer = this.payerOf(st);
        payment.refundable -= amount;
        // The merchant's escrow balance pays first; what it already withdrew comes from its wallet.
        const fromBalance = amount < this.balanceOf(invoice.merchant) ? amount : this.balanceOf(invoice.merchant);
        this.balances[invoice.merchant] = this.balanceOf(invoice.merchant) - fromBalance;
        this.move(this.escrow, payer, fromBalance);
        this.move(invoice.merchant, payer, amount - fromBalance);
        st.returned += amount;
      },
    };
  }

  dispute(st: InvoiceModel, caller: Address): Outcome {
    if (caller !== this.payerOf(st)) return { error: "EscrowNotPayer" };
    if (this.now >= st.invoice.captureBefore) return { error: "EscrowAfterCaptureDeadline" };
    const heldError = this.heldError(st);
    if (heldError) return { error: heldError };
    if (st.payment.disputedAt !== 0) return { error: "EscrowDisputed" };
    return {
      apply: (blockTimestamp) => {
        st.payment.disputedAt = blockTimestamp;
        st.disputedAtModel = this.now;
      },
    };
  }

  resolve(st: InvoiceModel, caller: Address, toPayer: bigint): Outcome {
    const { invoice, payment } = st;
    if (caller !== this.arbiter) return { error: "EscrowNotArbiter" };
    if (payment.disputedAt === 0) return { error: "EscrowNotDisputed" };
    if (toPayer > payment.held) return { error: "EscrowInsufficientHeld" };
    return {
      apply: () => {
        const payer = this.payerOf(st);
        const toMerchant = payment.held - toPayer;
        const cashback = this.cashbackOn(st, toMerchant);
        payment.held = 0n;
        payment.disputedAt = 0;
        payment.refundable += toMerchant - cashback;
        this.credit(invoice.merchant, toMerchant - cashback);
        this.move(this.escrow, payer, toPayer + cashback);
        st.returned += toPayer + cashback;
      },
    };
  }

  withdraw(merchant: Address, amount: bigint, to: Address): Outcome {
    if (to === zeroAddress) return { error: "EscrowZeroAddress" };
    if (amount === 0n) return { error: "EscrowZeroAmount" };
    if (amount > this.balanceOf(merchant)) return { error: "EscrowInsufficientBalance" };
    return {
      apply: () => {
        // Rounded up: a non-zero withdrawal at a non-zero rate always pays a fee.
        const fee = (amount * this.withdrawFeeBps + BPS - 1n) / BPS;
        this.balances[merchant] = this.balanceOf(merchant) - amount;
        this.fees += fee;
        this.move(this.escrow, to, amount - fee);
      },
    };
  }

  collectFees(): Outcome {
    if (this.fees === 0n) return { error: "EscrowZeroAmount" };
    return {
      apply: () => {
        this.move(this.escrow, this.treasury, this.fees);
        this.fees = 0n;
      },
    };
  }
}
