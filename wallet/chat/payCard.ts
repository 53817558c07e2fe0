import { type Hash, type Hex, isAddressEqual } from "viem";
import { formatAmount } from "../../protocol/amounts.ts";
import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import type { RelayPayRequestJson, RelayTransferRequestJson } from "../../protocol/relay.ts";
import { type GramClient, requireAccount } from "../actions/client.ts";
import { parseTokenAmount } from "../actions/internal/amount.ts";
import { chainNow } from "../actions/internal/chainNow.ts";
import { authorizationOf, lookUpRelayed } from "../actions/internal/relayed.ts";
import type { Confirm } from "../actions/internal/submitTransaction.ts";
import { payInvoice } from "../actions/payInvoice.ts";
import { payInvoiceGasless } from "../actions/payInvoiceGasless.ts";
import { readTokenInfo } from "../actions/readTokenInfo.ts";
import { createNodeClient } from "../node/createNodeClient.ts";
import { http } from "../node/http.ts";
import type { TransactionSummary } from "../summary/types.ts";
import type { Card } from "./cards.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";
import { ChatCardError, PaymentMessageNotSentError } from "./errors.ts";
import { sendChatTransfer } from "./sendChatTransfer.ts";
import { paymentBody, sendPayment } from "./sendPayment.ts";

export interface PayCardParameters {
  card: Card;
  /** For an invoice: a tip on top, in whole tokens, up to its maximum. */
  tip?: string | undefined;
  /** A node URL: its relayer submits (gasless). Left out: the wallet sends and pays the gas. */
  relayer?: string | undefined;
  confirm?: Confirm | undefined;
}

export interface PayCardReturnType {
  kind: Card["kind"];
  /** The payment transaction (not yet mined). */
  hash: Hash;
  authorization: Hex | undefined;
  /** A gasless payment's signed request, as the relayer got it: `waitForRelayedPayment` checks its receipt. */
  relayRequest: RelayTransferRequestJson | RelayPayRequestJson | undefined;
  /** Amount and tip, in base units. */
  units: bigint;
  tip: bigint;
  /** For an invoice. */
  invoiceId: Hex | undefined;
  summaries: TransactionSummary[];
  message: SentMessage;
}

/**
 * Pays a request or invoice card through the wallet's own actions, then says so in the card's chat
 * (`payment` with `ref` = the request's message id or the invoice id). A request is a transfer of what
 * it asks to whoever asked, refused once expired; an invoice is `payInvoice` (or, with a relayer,
 * `payInvoiceGasless`), which checks the merchant's signature, the payer, the deadline and the tip
 * before anything is signed. Each transaction's summary goes to `confirm` first. A relayer's answer is
 * looked up on the chain before the message claims it (`RELAY_TX_UNKNOWN` otherwise); wait for a gasless
 * payment with `waitForRelayedPayment`, which says it is paid only if it used this wallet's authorization.
 *
 * @example
 * const card = await findCard(chat.state, "0x3f2a9c", { domain: chat.domain, me: chat.address });
 * const { hash } = await payCard(client, chat, { card, tip: "1", confirm: ask });
 */
export async function payCard(
  client: GramClient,
  chat: ChatConnection,
  { card, tip, relayer, confirm }: PayCardParameters,
): Promise<PayCardReturnType> {
  const account = requireAccount(client);
  const { envelope } = card.message;
  if (card.message.outgoing || isAddressEqual(envelope.from, account.address)) {
    throw new ChatCardError("CARD_NOT_PAYABLE", "you sent this card; it is for the other side to pay");
  }
  const to: ConversationTargetInput =
    envelope.to.type === "group" ? envelope.to : { type: "direct", address: envelope.from };
  const summaries: TransactionSummary[] = [];
  const seen: Confirm = async (summary) => {
    summaries.push(summary);
    return confirm === undefined ? true : confirm(summary);
  };

  if (card.kind === "request") {
    if (tip !== undefined) throw new ChatCardError("CARD_NOT_PAYABLE", "a tip is for invoices; this card is a request");
    const now = await chainNow(client);
    if (now >= card.expiry) {
      throw new ChatCardError(
        "CARD_NOT_PAYABLE",
        `the request expired at ${new Date(card.expiry * 1000).toISOString()}`,
        { hint: "ask for a new request" },
      );
    }
    const info = await readTokenInfo(client, { token: card.token });
    const paid = await sendChatTransfer(client, chat, {
      to,
      recipient: card.payee,
      amount: formatAmount(card.amount, info.decimals),
      token: card.token,
      ref: card.id,
      memo: card.memo,
      relayer,
      confirm: seen,
    });
    return {
      kind: "request",
      hash: paid.hash,
      authorization: paid.authorization,
      relayRequest: paid.relayRequest,
      units: paid.units,
      tip: 0n,
      invoiceId: undefined,
      summaries,
      message: paid.message,
    };
  }

  const { invoice, signature } = card.decoded;
  const { units: tipUnits } = await parseTokenAmount(client, { text: tip ?? "0", token: invoice.token, what: "tip" });
  const total = invoice.amount + tipUnits;
  const body = {
    token: invoice.token,
    amount: total,
    recipient: invoice.merchant,
    ref: card.invoiceId,
    memo: card.metadata.title,
  };
  paymentBody({ ...body, tx: `0x${"00".repeat(32)}` });
  const metadata = card.metadata;
  let hash: Hash;
  let authorization: Hex | undefined;
  let relayRequest: RelayPayRequestJson | undefined;
  if (relayer !== undefined) {
    const signed = await payInvoiceGasless(client, {
      node: createNodeClient({ transport: http(relayer) }),
      invoice,
      merchantSignature: signature,
      tip: tip ?? "0",
      metadata,
      confirm: seen,
    });
    hash = signed.hash;
    await lookUpRelayed(client, { txHash: hash, authorization: authorizationOf(signed.request) });
    authorization = signed.id;
    relayRequest = signed.request;
  } else {
    const paid = await payInvoice(client, {
      invoice,
      merchantSignature: signature,
      tip: tip ?? "0",
      metadata,
      confirm: seen,
    });
    hash = paid.hash;
  }
  const message = await sendPayment(chat, { to, ...body, tx: hash, authorization }).catch((error: unknown) => {
    throw new PaymentMessageNotSentError(
      `paid invoice ${card.invoiceId} (transaction ${hash}), but the chat message could not be sent`,
      {
        details: error instanceof Error ? error.message.split("\n")[0] : String(error),
        hint: "the payment stands: the merchant sees it on-chain",
        cause: error,
      },
    );
  });
  return {
    kind: "invoice",
    hash,
    authorization,
    relayRequest,
    units: total,
    tip: tipUnits,
    invoiceId: card.invoiceId,
    summaries,
    message,
  };
}
