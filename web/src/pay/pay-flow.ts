// What the pay sheet does, apart from how it looks: the intent resolved into a payment (a recipient as the
// chat resolves it, a link decoded by the protocol, a card as the chat verified it), the checks the CLI
// makes before it signs (checkPaymentSafety: look-alike, token contract, wrong chain, first payment, hub
// name; checkPayable for invoices; a request's expiry), then the wallet's own action, whose `confirm` is
// the sheet's summary step: the summary comes from the exact bytes or typed data about to be signed, and
// nothing is signed until the user presses Sign there.
import { type Address, type Hash, type Hex, isAddressEqual } from "viem";
import { formatAmount, parseAmount } from "../../../protocol/amounts.ts";
import { type ConversationTarget, conversationOf } from "../../../protocol/chat/envelope.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { decodeLink } from "../../../protocol/links/decode-link.ts";
import type { InvoiceMetadata } from "../../../protocol/links/metadata.ts";
import type { RelayPayRequestJson, RelayTransferRequestJson } from "../../../protocol/relay.ts";
import { chainNow } from "../../../wallet/actions/internal/chainNow.ts";
import { checkPayable } from "../../../wallet/actions/internal/checkPayable.ts";
import type { Confirm } from "../../../wallet/actions/internal/submitTransaction.ts";
import { payInvoice } from "../../../wallet/actions/payInvoice.ts";
import { payInvoiceGasless } from "../../../wallet/actions/payInvoiceGasless.ts";
import { type ReadTokenInfoReturnType, readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { sendTransferGasless } from "../../../wallet/actions/sendTransferGasless.ts";
import { waitForRelayedPayment } from "../../../wallet/actions/waitForRelayedPayment.ts";
import { type Card, type InvoiceCard, paymentOfCard, type RequestCard } from "../../../wallet/chat/cards.ts";
import type { SentMessage } from "../../../wallet/chat/connectChat.ts";
import { payCard } from "../../../wallet/chat/payCard.ts";
import { resolvePeer } from "../../../wallet/chat/resolvePeer.ts";
import { sendChatTransfer } from "../../../wallet/chat/sendChatTransfer.ts";
import { closeNames } from "../../../wallet/contacts/contact-name.ts";
import { createNodeClient } from "../../../wallet/node/createNodeClient.ts";
import { http } from "../../../wallet/node/http.ts";
import { checkPaymentSafety } from "../../../wallet/summary/checkPaymentSafety.ts";
import type { Session } from "../session.ts";
import type { PayIntent } from "./pay-intent.ts";

/** What the sheet found out before signing: a `block` disables Sign, a `notice` is only said. */
export interface Warning {
  code: string;
  level: "block" | "notice";
  message: string;
}

/** A payment the sheet can show a form for, from an intent (a link is decoded first). */
export type Payable =
  | {
      kind: "transfer";
      /** As typed or as the link names it: an @name, a contact, an address. */
      to: string;
      /** Base units, when the link or card sets them; the user types it otherwise. */
      amount: bigint | undefined;
      memo: string | undefined;
      /** The chat the payment message goes to (a direct chat with this peer). */
      chatWith: Address | undefined;
      /** From a request or EIP-681 link. */
      link: { kind: "request" | "eip681"; chainId: number; token: Address; expiry: number | undefined } | undefined;
    }
  | { kind: "request-card"; card: RequestCard }
  | {
      kind: "invoice";
      invoice: Invoice;
      signature: Hex;
      metadata: InvoiceMetadata | undefined;
      /** The chat card it came from: paid with `payCard`, so that the chat hears of it. */
      card: InvoiceCard | undefined;
    };

/** Turns the intent into what the form shows; a link the protocol refuses throws its `LinkError`. */
export async function payableOf(session: Session, intent: PayIntent): Promise<Payable> {
  if (intent.kind === "send") {
    return {
      kind: "transfer",
      to: intent.to ?? "",
      amount: intent.amount,
      memo: intent.memo,
      chatWith: intent.chatWith,
      link: undefined,
    };
  }
  if (intent.kind === "card") return payableOfCard(intent.card);
  const { client } = session;
  const decoded = await decodeLink(intent.link.trim(), {
    chainId: client.chainId,
    token: client.contracts.token,
    escrow: client.contracts.escrow,
  });
  if (decoded.kind === "invoice") {
    const { invoice, signature, metadata } = decoded.invoice;
    return { kind: "invoice", invoice, signature, metadata, card: undefined };
  }
  const request = decoded.request;
  return {
    kind: "transfer",
    to: request.to,
    amount: request.amount,
    memo: request.memo,
    chatWith: undefined,
    link: {
      kind: decoded.kind,
      chainId: request.chainId,
      token: request.token as Address,
      expiry: decoded.kind === "request" ? decoded.request.expiry : undefined,
    },
  };
}

function payableOfCard(card: Card): Payable {
  if (card.kind === "request") return { kind: "request-card", card };
  const { invoice, signature, metadata } = card.decoded;
  return { kind: "invoice", invoice, signature, metadata: metadata ?? card.metadata, card };
}

/** The token a payable pays in. */
export function tokenOf(session: Session, payable: Payable): Address {
  if (payable.kind === "invoice") return payable.invoice.token;
  if (payable.kind === "request-card") return payable.card.token;
  return payable.link?.token ?? session.client.contracts.token;
}

/** Tips as Telegram suggests them: none, 5, 10 and 15 % of the amount, each capped at the invoice's maximum. */
export function suggestedTips(amount: bigint, maxTip: bigint): bigint[] {
  if (maxTip === 0n) return [0n];
  const tips = [0n, ...[5n, 10n, 15n].map((percent) => (amount * percent) / 100n)].map((tip) =>
    tip > maxTip ? maxTip : tip,
  );
  return [...new Set(tips)];
}

/** What the user filled in on the form. */
export interface PayForm {
  /** For a transfer: the recipient as typed. */
  to: string;
  /** Whole tokens, as typed: "12.5" (a transfer whose amount the link or card does not set). */
  amount: string;
  memo: string;
  /** Whole tokens. */
  tip: string;
  gasless: boolean;
}

/** The payment about to be made, resolved from the form: who, how much, where the chat message goes. */
export interface Prepared {
  payable: Payable;
  recipient: Address;
  /** How the sheet names the recipient: `@bob`, `~bob`, the address. */
  label: string;
  token: ReadTokenInfoReturnType;
  /** Whole tokens, with the token's decimals. */
  amount: string;
  tip: string;
  memo: string | undefined;
  /** The chat the payment message goes to. */
  chat: ConversationTarget | undefined;
  relayer: string | undefined;
  warnings: Warning[];
  /** Some warning blocks: Sign is disabled. */
  blocked: boolean;
  /** Blocked before anything could be built to sign (an expired invoice, a refused link): no summary. */
  unsignable: boolean;
}

/**
 * Resolves the form into the payment and runs the checks the CLI makes before it signs. Throws the
 * library's error for what cannot even be checked (an unknown @name, a malformed amount).
 */
export async function preparePayment(session: Session, payable: Payable, form: PayForm): Promise<Prepared> {
  const { client } = session;
  const token = await readTokenInfo(client, { token: tokenOf(session, payable) });
  const relayer = form.gasless ? session.relayer : undefined;
  const warnings: Warning[] = [];
  let unsignable = false;
  let recipient: Address;
  let label: string;
  let hubName: string | undefined;
  let amount: string;
  let memo: string | undefined;
  let chat: ConversationTarget | undefined;
  let linkChainId: number | undefined;
  let linkToken: Address | undefined;

  if (payable.kind === "transfer") {
    // A link or a chat names the recipient; the form only when the user types it.
    const typed = payable.link !== undefined ? payable.to : (payable.chatWith ?? form.to.trim());
    const peer = await resolvePeer(session.chat, { contacts: client.stores.contacts, peer: typed });
    if (peer.address === undefined) throw new Error("a payment goes to a person (@name or address), not to a group");
    recipient = peer.address;
    label = peer.label;
    hubName = peer.username;
    // Parsed with the token's decimals by the protocol's parser, as the CLI parses it.
    const units = payable.amount ?? parseAmount(form.amount.trim(), token.decimals, { symbol: token.symbol });
    if (units === 0n) throw new Error("amount: 0 sends nothing; expected more than 0");
    amount = formatAmount(units, token.decimals);
    memo = payable.link === undefined ? form.memo.trim() || undefined : payable.memo;
    if (payable.chatWith !== undefined) chat = { type: "direct", address: payable.chatWith };
    if (payable.link !== undefined) {
      linkChainId = payable.link.chainId;
      linkToken = payable.link.token;
      const expiry = payable.link.expiry;
      if (expiry !== undefined && (await chainNow(client)) >= expiry) {
        unsignable = true;
        warnings.push({
          code: "LINK_EXPIRED",
          level: "block",
          message: `the payment request expired at ${new Date(expiry * 1000).toLocaleString()}; ask the payee for a new link`,
        });
      }
    }
  } else if (payable.kind === "request-card") {
    const { card } = payable;
    recipient = card.payee;
    label = await session.names.label(card.payee);
    amount = formatAmount(card.amount, token.decimals);
    memo = card.memo;
    chat =
      card.message.envelope.to.type === "group" ? card.message.envelope.to : { type: "direct", address: card.payee };
    if ((await chainNow(client)) >= card.expiry) {
      unsignable = true;
      warnings.push({
        code: "REQUEST_EXPIRED",
        level: "block",
        message: `the request expired at ${new Date(card.expiry * 1000).toLocaleString()}; ask for a new request`,
      });
    }
    alreadyPaid(session, card, warnings);
  } else {
    const { invoice, card } = payable;
    recipient = invoice.merchant;
    label = await session.names.label(invoice.merchant);
    amount = formatAmount(invoice.amount, token.decimals);
    memo = payable.metadata?.memo;
    linkChainId = client.chainId;
    linkToken = invoice.token;
    if (card !== undefined) {
      chat =
        card.message.envelope.to.type === "group"
          ? card.message.envelope.to
          : { type: "direct", address: card.merchant };
      for (const message of card.warnings) warnings.push({ code: "CARD", level: "notice", message });
      alreadyPaid(session, card, warnings);
    }
    // The merchant's signature, the payer, the deadline, the tip and "not yet paid", as payInvoice checks
    // them: shown before the summary, and nothing to sign when they fail.
    try {
      await checkPayable(client, {
        invoice,
        merchantSignature: payable.signature,
        payer: session.address,
        tip: form.tip.trim() || "0",
      });
    } catch (error) {
      unsignable = true;
      warnings.push({ code: "NOT_PAYABLE", level: "block", message: (error as Error).message });
    }
  }

  const safety = await checkPaymentSafety(client, {
    recipient,
    from: session.address,
    fromBlock: BigInt(session.chain.config.deployBlock),
    chainId: linkChainId,
    token: linkToken,
    hubName,
  });
  const contacts = Object.keys(await client.stores.contacts.read());
  for (const warning of safety.warnings) {
    if (warning.level === "refuse") unsignable = true;
    // A name the hub gave that folds close to one of your contacts (~aiice for @alice) blocks here: the
    // web has no --i-know, and a name a typo away from a friend's is how one is impersonated.
    const close = warning.code === "HUB_NAME" && hubName !== undefined && closeNames(hubName, contacts).length > 0;
    warnings.push({
      code: close ? "LOOK_ALIKE_NAME" : warning.code,
      level: warning.level === "notice" && !close ? "notice" : "block",
      message: warning.message,
    });
  }
  return {
    payable,
    recipient,
    label,
    token,
    amount,
    tip: form.tip.trim() || "0",
    memo,
    chat,
    relayer,
    warnings,
    blocked: warnings.some((warning) => warning.level === "block"),
    unsignable,
  };
}

function alreadyPaid(session: Session, card: Card, warnings: Warning[]) {
  const earlier = paymentOfCard(session.chat.state, card, session.address);
  if (earlier === undefined) return;
  warnings.push({
    code: "ALREADY_PAID",
    level: "block",
    message: `you paid this card already (message ${String(earlier.envelope.id).slice(0, 10)}, ${earlier.state})`,
  });
}

/** A payment sent: its transaction, and for a gasless one what the relayer got (to check its receipt). */
export interface Sent {
  hash: Hash;
  relayRequest: RelayTransferRequestJson | RelayPayRequestJson | undefined;
}

/**
 * Pays with the wallet's own action: in a chat `sendChatTransfer` / `payCard` (the payment message goes
 * into the conversation), otherwise `sendTransfer` / `sendTransferGasless` / `payInvoice` (one
 * `payWithPermit` transaction) / `payInvoiceGasless`. `confirm` is shown each summary first.
 */
export async function sendPayment(session: Session, prepared: Prepared, confirm: Confirm): Promise<Sent> {
  const { client, chat } = session;
  const { payable, recipient, amount, token, relayer, memo, tip } = prepared;
  const node = () => createNodeClient({ transport: http(relayer as string) });

  if (payable.kind === "request-card" || (payable.kind === "invoice" && payable.card !== undefined)) {
    const card = payable.kind === "request-card" ? payable.card : (payable.card as InvoiceCard);
    const paid = await payCard(client, chat, {
      card,
      tip: card.kind === "invoice" ? tip : undefined,
      relayer,
      confirm,
    });
    await remember(session, paid.message.envelope, card.message.conversation);
    return { hash: paid.hash, relayRequest: paid.relayRequest };
  }
  if (payable.kind === "transfer" && prepared.chat !== undefined) {
    const paid = await sendChatTransfer(client, chat, {
      to: prepared.chat,
      recipient,
      amount,
      token: token.address,
      memo,
      relayer,
      confirm,
    });
    await remember(session, paid.message.envelope, conversationOf(session.address, prepared.chat));
    return { hash: paid.hash, relayRequest: paid.relayRequest };
  }
  if (payable.kind === "transfer") {
    if (relayer !== undefined) {
      const { hash, request } = await sendTransferGasless(client, {
        node: node(),
        to: recipient,
        amount,
        token: token.address,
        confirm,
      });
      return { hash, relayRequest: request };
    }
    const sent = await sendTransfer(client, { to: recipient, amount, token: token.address, confirm });
    return { hash: sent.hash, relayRequest: undefined };
  }
  const { invoice, signature, metadata } = payable;
  const stored = metadata && {
    title: metadata.title,
    items: metadata.items,
    ...(metadata.memo ? { memo: metadata.memo } : {}),
  };
  if (relayer !== undefined) {
    const { hash, request } = await payInvoiceGasless(client, {
      node: node(),
      invoice,
      merchantSignature: signature,
      tip,
      metadata: stored,
      confirm,
    });
    return { hash, relayRequest: request };
  }
  const paid = await payInvoice(client, {
    invoice,
    merchantSignature: signature,
    tip,
    method: "permit",
    metadata: stored,
    confirm,
  });
  return { hash: paid.hash, relayRequest: undefined };
}

/** The payment message of this account, remembered by the tracker so that a card is not paid twice. */
async function remember(session: Session, envelope: SentMessage["envelope"], conversation: Hex) {
  await session.payments.check({ envelope, conversation, outgoing: true }).catch(() => {});
}

/** The chain's verdict: mined in block N, or the library's error (reverted, not this wallet's authorization…). */
export async function waitForPayment(session: Session, sent: Sent): Promise<{ blockNumber: bigint }> {
  const { client } = session;
  if (sent.relayRequest !== undefined) {
    const receipt = await waitForRelayedPayment(client, { txHash: sent.hash, request: sent.relayRequest });
    return { blockNumber: receipt.blockNumber };
  }
  const receipt = await client.publicClient.waitForTransactionReceipt({
    hash: sent.hash,
    pollingInterval: 200,
    timeout: 120_000,
  });
  if (receipt.status !== "success")
    throw new Error(`transaction ${sent.hash} reverted in block ${receipt.blockNumber}`);
  return { blockNumber: receipt.blockNumber };
}

/** Whether `address` is the signed-in account itself. */
export function isMe(session: Session, address: Address): boolean {
  return isAddressEqual(session.address, address);
}
