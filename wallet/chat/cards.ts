// Request and invoice cards: what a chat shows for a `request` or `invoice` message, decoded from what
// was signed (the request's own fields; the invoice's link, checked by verifyEnvelope against the chain,
// the escrow and the card's title and items), with warnings where the card and the sender disagree. Cards
// are kept in the chat state so that one can be paid later by its message id.
import { type Address, type Hex, isAddressEqual, zeroAddress } from "viem";
import type { ChatDomainInfo } from "../../protocol/chat/sign.ts";
import type { DecodedInvoiceLink } from "../../protocol/links/invoice-link.ts";
import type { InvoiceMetadata } from "../../protocol/links/metadata.ts";
import type { ChatState } from "./chat-state.ts";
import { ChatCardError } from "./errors.ts";
import { type ChatMessage, isRejected, verifyIncoming } from "./verifyIncoming.ts";

export interface RequestCard {
  kind: "request";
  /** The message id. */
  id: Hex;
  /** Who asks, and who is paid. */
  payee: Address;
  token: Address;
  /** Base units. */
  amount: bigint;
  /** Unix seconds. */
  expiry: number;
  memo: string | undefined;
  message: ChatMessage;
}

export interface InvoiceCard {
  kind: "invoice";
  id: Hex;
  invoiceId: Hex;
  merchant: Address;
  token: Address;
  amount: bigint;
  maxTip: bigint;
  /** Null: whoever pays first. */
  payer: Address | null;
  payBefore: number;
  metadata: InvoiceMetadata;
  decoded: DecodedInvoiceLink;
  /** What a payer should know before paying: another merchant than the sender, a payer not you… */
  warnings: string[];
  message: ChatMessage;
}

export type Card = RequestCard | InvoiceCard;

/**
 * The card of a `request` or `invoice` message (verified by `verifyIncoming`); undefined for other bodies.
 *
 * @example
 * const card = cardOf(message, me);
 * if (card?.kind === "invoice") show(card.metadata.title, card.amount, card.warnings);
 */
export function cardOf(message: ChatMessage, me: Address): Card | undefined {
  const { envelope } = message;
  const body = envelope.body;
  if (body.type === "request") {
    return {
      kind: "request",
      id: envelope.id,
      payee: envelope.from,
      token: body.token,
      amount: BigInt(body.amount),
      expiry: body.expiry,
      memo: body.memo,
      message,
    };
  }
  if (body.type !== "invoice" || message.invoice === undefined) return undefined;
  const decoded = message.invoice;
  const { invoice } = decoded;
  const metadata: InvoiceMetadata = decoded.metadata ?? {
    title: body.title,
    items: body.items,
    ...(body.memo === undefined ? {} : { memo: body.memo }),
  };
  const warnings: string[] = [];
  if (!isAddressEqual(invoice.merchant, envelope.from)) {
    warnings.push(`the invoice's merchant ${invoice.merchant} is not its sender ${envelope.from}`);
  }
  if (!decoded.signatureValid) {
    warnings.push("the merchant's signature could not be checked here (a contract wallet?); the escrow checks it");
  }
  const payer = isAddressEqual(invoice.payer, zeroAddress) ? null : invoice.payer;
  if (payer !== null && !isAddressEqual(payer, me) && !message.outgoing) {
    warnings.push(`the invoice is for ${payer}, not for you`);
  }
  return {
    kind: "invoice",
    id: envelope.id,
    invoiceId: decoded.id,
    merchant: invoice.merchant,
    token: invoice.token,
    amount: invoice.amount,
    maxTip: invoice.maxTip,
    payer,
    payBefore: invoice.payBefore,
    metadata,
    decoded,
    warnings,
    message,
  };
}

/**
 * This account's own payment of card `card` (a payment message it sent with `ref` = the request's message
 * id or the invoice id), unless the chain said it did not hold; undefined when it has none.
 */
export function paymentOfCard(state: ChatState, card: Card, me: Address) {
  const ref = card.kind === "request" ? card.id : card.invoiceId;
  return state.payments.find(
    (record) =>
      typeof record.envelope.from === "string" &&
      isAddressEqual(record.envelope.from as Address, me) &&
      (record.envelope.body as { ref?: unknown }).ref === ref &&
      record.state !== "unconfirmed",
  );
}

/** Keeps a card's message in the state (newest last, once). */
export function rememberCard(state: ChatState, message: ChatMessage) {
  const json = JSON.parse(JSON.stringify(message.envelope)) as Record<string, unknown>;
  state.cards = [...state.cards.filter((known) => known.id !== json.id), json];
}

/**
 * The card whose message id is `id` or starts with it (at least 6 hex digits after 0x), from the state,
 * verified again. Throws `ChatCardError`: `INVALID_CARD_ID`, `CARD_NOT_FOUND`, or an ambiguous prefix.
 *
 * @example
 * const card = await findCard(chat.state, "0x3f2a9c", { domain: chat.domain, me: chat.address });
 */
export async function findCard(
  state: ChatState,
  id: string,
  { domain, me }: { domain: ChatDomainInfo; me: Address },
): Promise<Card> {
  const prefix = parseCardId(id);
  const matches = state.cards.filter((json) => typeof json.id === "string" && json.id.startsWith(prefix));
  if (matches.length > 1) {
    throw new ChatCardError("INVALID_CARD_ID", `card id ${id} matches ${matches.length} cards; give more digits`);
  }
  const found = matches[0];
  if (found === undefined) {
    throw new ChatCardError("CARD_NOT_FOUND", `no request or invoice card with id ${id} in this wallet's chats`, {
      hint: "`gram chat read` fetches new messages and lists each card's id",
    });
  }
  const checked = await verifyIncoming(found, { domain, me });
  const card = isRejected(checked) ? undefined : cardOf(checked, me);
  if (card === undefined) {
    throw new ChatCardError(
      "CARD_NOT_PAYABLE",
      `card ${id} no longer verifies${isRejected(checked) ? `: ${checked.reason}` : ""}`,
    );
  }
  return card;
}

/** A message id or a prefix of one, lowercase; `INVALID_CARD_ID` otherwise. */
export function parseCardId(id: string): string {
  if (!/^0x[0-9a-fA-F]{6,64}$/.test(id)) {
    throw new ChatCardError(
      "INVALID_CARD_ID",
      `card id: got '${id.slice(0, 70).replace(/[^\x20-\x7e]/g, "?")}', expected a message id (0x and 6 to 64 hex digits)`,
    );
  }
  return id.toLowerCase();
}
