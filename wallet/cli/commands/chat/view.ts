// How `gram chat` shows messages: one JSON shape for --json (field names are stable) and lines for
// people. Everything shown about money is decoded from what was signed and, for payments, from what the
// chain says (the verification), never from the sender's words.
import type { Address, Hex } from "viem";
import { formatAmount } from "../../../../protocol/amounts.ts";
import type { StatusUpdate } from "../../../../protocol/chat/frames.ts";
import type { GramClient } from "../../../actions/client.ts";
import { readTokenInfo } from "../../../actions/readTokenInfo.ts";
import { cardOf } from "../../../chat/cards.ts";
import type { PaymentUpdate } from "../../../chat/createPaymentTracker.ts";
import type { NameBook } from "../../../chat/names.ts";
import type { ChatMessage, RejectedMessage } from "../../../chat/verifyIncoming.ts";
import type { PaymentVerification } from "../../../chat/verifyPayment.ts";
import { time } from "../../render.ts";

export interface MessageView {
  seq: number | null;
  id: Hex;
  from: Address;
  fromName: string;
  to: { type: "direct"; address: Address; name: string } | { type: "group"; id: Hex };
  conversation: Hex;
  /** Unix ms, by the sender's clock. */
  sentAt: number;
  outgoing: boolean;
  type: "text" | "payment" | "request" | "invoice";
  text?: string;
  payment?: {
    token: Address;
    symbol: string;
    amount: string;
    units: string;
    to: Address;
    toName: string;
    tx: Hex | null;
    authorization: Hex | null;
    ref: Hex | null;
    memo: string | null;
    /** pending | confirmed | unconfirmed: the chain's word, not the sender's. */
    state: PaymentVerification["state"];
    code: PaymentVerification["code"];
    reason: string;
    block: number | null;
  };
  request?: {
    payee: Address;
    token: Address;
    symbol: string;
    amount: string;
    units: string;
    /** Unix seconds. */
    expiry: number;
    memo: string | null;
  };
  invoice?: {
    invoiceId: Hex;
    merchant: Address;
    token: Address;
    symbol: string;
    amount: string;
    units: string;
    maxTip: string;
    /** Share of each capture paid back to the payer, in basis points. */
    cashbackBps: number;
    payer: Address | null;
    payBefore: number;
    title: string;
    items: { name: string; quantity: string; price: string }[];
    memo: string | null;
    warnings: string[];
  };
}

export interface RejectedView {
  seq: number | null;
  id: Hex | null;
  /** Who it claims to be from: not to be believed. */
  claimedFrom: Address | null;
  code: string;
  reason: string;
}

export interface ViewContext {
  client: GramClient;
  names: NameBook;
  me: Address;
}

async function token(client: GramClient, address: Address) {
  try {
    return await readTokenInfo(client, { token: address });
  } catch {
    return { address, symbol: `units of ${address}`, decimals: 0 };
  }
}

/** The view of a verified message; `verification` for a payment (see PaymentTracker). */
export async function viewMessage(
  { client, names, me }: ViewContext,
  message: ChatMessage,
  seq: number | null,
  verification?: PaymentVerification,
): Promise<MessageView> {
  const { envelope } = message;
  const body = envelope.body;
  const view: MessageView = {
    seq,
    id: envelope.id,
    from: envelope.from,
    fromName: message.outgoing ? "you" : await names.label(envelope.from),
    to:
      envelope.to.type === "group"
        ? { type: "group", id: envelope.to.id }
        : {
            type: "direct",
            address: envelope.to.address,
            name: envelope.to.address === me ? "you" : await names.label(envelope.to.address),
          },
    conversation: message.conversation,
    sentAt: envelope.sentAt,
    outgoing: message.outgoing,
    type: body.type,
  };
  if (body.type === "text") view.text = body.text;
  if (body.type === "payment") {
    const info = await token(client, body.token);
    const v = verification ?? { state: "pending", code: "UNREACHABLE", reason: "pending: not checked yet" };
    view.payment = {
      token: body.token,
      symbol: info.symbol,
      amount: formatAmount(BigInt(body.amount), info.decimals),
      units: body.amount,
      to: body.to,
      toName: body.to === me ? "you" : await names.label(body.to),
      tx: body.tx ?? null,
      authorization: body.authorization ?? null,
      ref: body.ref ?? null,
      memo: body.memo ?? null,
      state: v.state,
      code: v.code,
      reason: v.reason,
      block: v.block ?? null,
    };
  }
  const card = cardOf(message, me);
  if (card?.kind === "request") {
    const info = await token(client, card.token);
    view.request = {
      payee: card.payee,
      token: card.token,
      symbol: info.symbol,
      amount: formatAmount(card.amount, info.decimals),
      units: card.amount.toString(),
      expiry: card.expiry,
      memo: card.memo ?? null,
    };
  }
  if (card?.kind === "invoice") {
    const info = await token(client, card.token);
    view.invoice = {
      invoiceId: card.invoiceId,
      merchant: card.merchant,
      token: card.token,
      symbol: info.symbol,
      amount: formatAmount(card.amount, info.decimals),
      units: card.amount.toString(),
      maxTip: formatAmount(card.maxTip, info.decimals),
      cashbackBps: card.decoded.invoice.cashbackBps,
      payer: card.payer,
      payBefore: card.payBefore,
      title: card.metadata.title,
      items: card.metadata.items,
      memo: card.metadata.memo ?? null,
      warnings: card.warnings,
    };
  }
  return view;
}

export function viewRejected(rejection: RejectedMessage, seq: number | null): RejectedView {
  return {
    seq,
    id: rejection.id ?? null,
    claimedFrom: rejection.from ?? null,
    code: rejection.code,
    reason: rejection.reason,
  };
}

/** A payment's state as a person reads it: pending, confirmed, or NOT CONFIRMED and why. */
export function paymentMark(payment: { state: string; reason: string }): string {
  if (payment.state === "confirmed") return `[${payment.reason}]`;
  if (payment.state === "pending") return `[PENDING: ${payment.reason.replace(/^pending: /, "")}]`;
  return `[${payment.reason}]`;
}

/** Lines for a person. Continuation lines of a text are indented. */
export function messageLines(view: MessageView): string[] {
  const when = new Date(view.sentAt).toISOString().slice(0, 19).replace("T", " ");
  const where =
    view.to.type === "group" ? ` in group ${view.to.id.slice(0, 10)}` : view.outgoing ? ` → ${view.to.name}` : "";
  const head = `[${when}] ${view.fromName}${where}:`;
  const short = view.id.slice(0, 10);
  if (view.payment) {
    const p = view.payment;
    const memo = p.memo ? ` "${p.memo}"` : "";
    return [
      `${head} PAYMENT ${p.amount} ${p.symbol} to ${p.toName}${memo} ${paymentMark(p)}`,
      `    id ${short}  tx ${p.tx ?? "(relayed authorization)"}`,
    ];
  }
  if (view.request) {
    const r = view.request;
    return [
      `${head} REQUEST ${r.amount} ${r.symbol}${r.memo ? ` for "${r.memo}"` : ""}, until ${time(r.expiry)}`,
      `    id ${short}${view.outgoing ? "" : `  pay: /pay, or gram chat pay-card ${short}`}`,
    ];
  }
  if (view.invoice) {
    const i = view.invoice;
    return [
      `${head} INVOICE "${i.title}" ${i.amount} ${i.symbol}${i.maxTip !== "0" ? ` (tip up to ${i.maxTip})` : ""}${i.cashbackBps > 0 ? `, ${i.cashbackBps / 100}% cashback` : ""}, pay before ${time(i.payBefore)}`,
      ...i.items.map((item) => `    ${item.quantity} × ${item.name} @ ${item.price}`),
      ...(i.memo ? [`    memo: ${i.memo}`] : []),
      ...i.warnings.map((warning) => `    WARNING: ${warning}`),
      `    invoice ${i.invoiceId.slice(0, 10)} by ${i.merchant}`,
      `    id ${short}${view.outgoing ? "" : `  pay: /pay [tip], or gram chat pay-card ${short} [--tip n]`}`,
    ];
  }
  const [first = "", ...rest] = (view.text ?? "").split("\n");
  return [`${head} ${first}`, ...rest.map((line) => `    ${line}`)];
}

export function rejectedLines(view: RejectedView): string[] {
  return [
    `REJECTED (${view.code}) message ${view.id?.slice(0, 10) ?? "?"} claiming to be from ${view.claimedFrom ?? "?"}: ${view.reason}`,
  ];
}

export function updateLines(update: PaymentUpdate, fromName: string): string[] {
  return [
    `payment ${update.id.slice(0, 10)} from ${fromName}: ${update.previous} → ${paymentMark(update.verification)}`,
  ];
}

export function updateView(update: PaymentUpdate) {
  return {
    id: update.id,
    from: update.from,
    previous: update.previous,
    state: update.verification.state,
    code: update.verification.code,
    reason: update.verification.reason,
    tx: update.verification.tx ?? null,
    block: update.verification.block ?? null,
  };
}

export function statusView(status: StatusUpdate, seq: number) {
  return { seq, ...status };
}
