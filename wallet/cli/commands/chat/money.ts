// What moves money in a chat, or asks for it, for the one-shot commands (`gram chat pay`, `pay-card`,
// `request`, `invoice`) and the slash commands (`/pay`, `/send`, `/request`, `/invoice`) alike: the same
// safety checks and summaries as `gram send` and `gram pay`, then the wallet's own actions, then the
// message, then the receipt.
import type { Address } from "viem";
import { formatAmount } from "../../../../protocol/amounts.ts";
import { conversationOf } from "../../../../protocol/chat/envelope.ts";
import { parseTokenAmount } from "../../../actions/internal/amount.ts";
import { chainNow } from "../../../actions/internal/chainNow.ts";
import type { Confirm } from "../../../actions/internal/submitTransaction.ts";
import { readTokenInfo } from "../../../actions/readTokenInfo.ts";
import { type Card, paymentOfCard } from "../../../chat/cards.ts";
import { ChatCardError, InvalidChatPeerError } from "../../../chat/errors.ts";
import { payCard } from "../../../chat/payCard.ts";
import type { ResolvedPeer } from "../../../chat/resolvePeer.ts";
import { sendChatTransfer } from "../../../chat/sendChatTransfer.ts";
import { sendInvoice } from "../../../chat/sendInvoice.ts";
import { sendRequest } from "../../../chat/sendRequest.ts";
import { InvalidAmountError } from "../../../errors.ts";
import { createInvoice } from "../../../invoices/createInvoice.ts";
import type { SafetyWarning } from "../../../summary/checkPaymentSafety.ts";
import type { TransactionSummary } from "../../../summary/types.ts";
import { requireNode } from "../../config.ts";
import { parseBps, parseDuration } from "../../option-values.ts";
import type { Cli } from "../../options.ts";
import { type CommandResult, result } from "../../output.ts";
import { time } from "../../render.ts";
import { checkSafety, waitFor, waitForGasless } from "../transfer.ts";
import type { ChatSession } from "./session.ts";

export interface PayPeerParameters {
  peer: ResolvedPeer;
  amount: string;
  memo: string | undefined;
  gasless: boolean;
  iKnow: boolean | undefined;
  confirm: Confirm;
}

/** A transfer to a person in the chat with them, then the payment message. */
export async function payPeer(cli: Cli, session: ChatSession, p: PayPeerParameters): Promise<CommandResult> {
  const recipient = p.peer.address;
  if (recipient === undefined) {
    throw new InvalidChatPeerError("pay whom? a payment goes to a person (@name or address), not to a group");
  }
  const relayer = p.gasless ? requireNode(cli, "a gasless payment") : undefined;
  const { client } = session.connection;
  const warnings = await safety(cli, session, recipient, p.iKnow, p.peer.username);
  const paid = await sendChatTransfer(client, session.chat, {
    to: p.peer.target,
    recipient,
    amount: p.amount,
    memo: p.memo,
    relayer,
    confirm: p.confirm,
  });
  const receipt =
    paid.relayRequest === undefined
      ? await waitFor(client, paid.hash)
      : await waitForGasless(client, paid.hash, paid.relayRequest);
  const amount = formatAmount(paid.units, paid.token.decimals);
  return result(
    {
      from: session.me,
      to: recipient,
      toName: p.peer.label,
      amount,
      units: paid.units.toString(),
      symbol: paid.token.symbol,
      token: paid.token.address,
      gasless: p.gasless,
      hash: paid.hash,
      authorization: paid.authorization ?? null,
      messageId: paid.message.envelope.id,
      memo: p.memo ?? null,
      warnings,
      ...receipt,
      summary: paid.summary,
    },
    [
      `paid ${amount} ${paid.token.symbol} to ${p.peer.label}${p.gasless ? " (gasless)" : ""}; told the chat (message ${paid.message.envelope.id.slice(0, 10)})`,
      `tx ${paid.hash} ${receipt.status} in block ${receipt.blockNumber}`,
    ],
  );
}

export interface PayCardFlowParameters {
  card: Card;
  tip: string | undefined;
  gasless: boolean;
  iKnow: boolean | undefined;
  confirm: Confirm;
}

/** Pays a request or invoice card (tip for invoices), then says so in its chat. */
export async function payCardFlow(
  cli: Cli,
  session: ChatSession,
  { card, tip, gasless, iKnow, confirm }: PayCardFlowParameters,
): Promise<CommandResult> {
  const { client } = session.connection;
  const relayer = gasless ? requireNode(cli, "a gasless payment") : undefined;
  const earlier = paymentOfCard(session.chat.state, card, session.me);
  if (earlier !== undefined) {
    throw new ChatCardError(
      "CARD_NOT_PAYABLE",
      `you paid this card already (message ${String(earlier.envelope.id).slice(0, 10)}, ${earlier.state})`,
      {
        hint: "to pay again, use `gram chat pay` with the amount",
      },
    );
  }
  const payee = card.kind === "request" ? card.payee : card.merchant;
  if (card.kind === "invoice") for (const warning of card.warnings) cli.out.note(`WARNING: ${warning}`);
  const warnings = card.message.outgoing ? [] : await safety(cli, session, payee, iKnow);
  const paid = await payCard(client, session.chat, { card, tip, relayer, confirm });
  const receipt =
    paid.relayRequest === undefined
      ? await waitFor(client, paid.hash)
      : await waitForGasless(client, paid.hash, paid.relayRequest);
  // Remembered, so that the card is not paid twice by mistake.
  await session.payments.check({
    envelope: paid.message.envelope,
    conversation: card.message.conversation,
    outgoing: true,
  });
  const { decimals, symbol } = await readTokenInfo(client, { token: card.token });
  const amount = formatAmount(paid.units - paid.tip, decimals);
  const tipText = formatAmount(paid.tip, decimals);
  return result(
    {
      kind: card.kind,
      cardId: card.id,
      invoiceId: paid.invoiceId ?? null,
      to: payee,
      amount,
      tip: tipText,
      units: paid.units.toString(),
      symbol,
      token: card.token,
      gasless,
      hash: paid.hash,
      authorization: paid.authorization ?? null,
      messageId: paid.message.envelope.id,
      warnings,
      ...receipt,
      summaries: paid.summaries,
    },
    [
      card.kind === "invoice"
        ? `paid invoice "${card.metadata.title}": ${amount} ${symbol}${paid.tip > 0n ? ` + ${tipText} tip` : ""}; told the chat`
        : `paid the request: ${amount} ${symbol} to ${payee}; told the chat`,
      `tx ${paid.hash} ${receipt.status} in block ${receipt.blockNumber}`,
    ],
  );
}

function safety(
  cli: Cli,
  session: ChatSession,
  recipient: Address,
  iKnow: boolean | undefined,
  hubName?: string | undefined,
): Promise<SafetyWarning[]> {
  return checkSafety(cli, session.connection, session.me, { recipient, iKnow, hubName });
}

export interface RequestPeerParameters {
  peer: ResolvedPeer;
  amount: string;
  memo: string | undefined;
  /** A duration (`parseDuration`); 7 days when left out. */
  expires: string | undefined;
}

/** Sends a request card to a person: `chat request` and `/request`. */
export async function requestPeer(
  { chat, connection }: ChatSession,
  { peer, amount, memo: text, expires }: RequestPeerParameters,
): Promise<CommandResult> {
  const seconds = parseDuration(expires ?? "7d", "--expires");
  const { client } = connection;
  const { units, token } = await checkAmount(client, amount);
  if (peer.address === undefined) throw new InvalidChatPeerError("a request goes to a person, not to a group");
  const expiry = (await chainNow(client)) + seconds;
  const sent = await sendRequest(chat, { to: peer.target, token: token.address, amount: units, expiry, memo: text });
  const formatted = formatAmount(units, token.decimals);
  return result(
    {
      to: peer.target,
      toName: peer.label,
      messageId: sent.envelope.id,
      amount: formatted,
      units: units.toString(),
      symbol: token.symbol,
      token: token.address,
      expiry,
      memo: text ?? null,
    },
    [`asked ${peer.label} for ${formatted} ${token.symbol}${text ? ` for "${text}"` : ""}, until ${time(expiry)}`],
  );
}

export interface InvoiceOptions {
  tipMax?: string;
  /** Basis points or a percentage (`parseBps`). */
  cashback?: string;
  memo?: string;
  expires?: string;
}

export interface InvoicePeerParameters {
  peer: ResolvedPeer;
  amount: string;
  title: string;
  options: InvoiceOptions;
  confirm: Confirm;
}

/** Signs an invoice for `peer` and sends it as a card: `chat invoice` and `/invoice`. */
export async function invoicePeer(
  { chat, connection }: ChatSession,
  { peer, amount, title, options, confirm }: InvoicePeerParameters,
): Promise<CommandResult> {
  const { client } = connection;
  const { units, token } = await checkAmount(client, amount);
  const seconds = options.expires === undefined ? undefined : parseDuration(options.expires, "--expires");
  const shown: TransactionSummary[] = [];
  const payBefore = seconds === undefined ? undefined : (await chainNow(client)) + seconds;
  const created = await createInvoice(client, {
    title,
    items: [{ name: title, quantity: "1", price: formatAmount(units, token.decimals) }],
    amount,
    maxTip: options.tipMax ?? "0",
    cashbackBps: options.cashback === undefined ? 0 : parseBps(options.cashback),
    ...(options.memo === undefined ? {} : { memo: options.memo }),
    ...(peer.address === undefined ? {} : { payer: peer.address }),
    ...(payBefore === undefined ? {} : { payBefore }),
    ref: conversationOf(chat.address, peer.target),
    confirm: async (summary) => {
      shown.push(summary);
      return confirm(summary);
    },
  });
  const sent = await sendInvoice(chat, { to: peer.target, invoice: created });
  const formatted = formatAmount(created.invoice.amount, token.decimals);
  return result(
    {
      to: peer.target,
      toName: peer.label,
      messageId: sent.envelope.id,
      invoiceId: created.id,
      link: sent.envelope.body.type === "invoice" ? sent.envelope.body.link : null,
      title,
      amount: formatted,
      maxTip: formatAmount(created.invoice.maxTip, token.decimals),
      cashbackBps: created.invoice.cashbackBps,
      symbol: token.symbol,
      payer: peer.address ?? null,
      payBefore: created.invoice.payBefore,
      summaries: shown,
    },
    [`invoiced ${peer.label} ${formatted} ${token.symbol} for "${title}" (invoice ${created.id.slice(0, 10)})`],
  );
}

/** A positive amount of the wallet's token, checked before the password is asked for. */
export async function checkAmount(client: Parameters<typeof parseTokenAmount>[0], amount: string) {
  const parsed = await parseTokenAmount(client, { text: amount, what: "amount" });
  if (parsed.units === 0n)
    throw new InvalidAmountError("amount: 0 is nothing; expected more than 0", { reason: "zero" });
  return parsed;
}
