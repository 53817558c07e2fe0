// Paying from the chat, for `gram chat pay`, `gram chat pay-card` and the interactive `/pay`, `/send`:
// the same safety checks and summaries as `gram send` and `gram pay`, then the wallet's own actions, then
// the payment message, then the receipt.
import type { Address } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { Confirm } from "../../actions/internal/submitTransaction.ts";
import { readTokenInfo } from "../../actions/readTokenInfo.ts";
import { type Card, paymentOfCard } from "../../chat/cards.ts";
import { ChatCardError, InvalidChatPeerError } from "../../chat/errors.ts";
import { payCard } from "../../chat/payCard.ts";
import type { ResolvedPeer } from "../../chat/resolvePeer.ts";
import { sendChatTransfer } from "../../chat/sendChatTransfer.ts";
import type { SafetyWarning } from "../../summary/checkPaymentSafety.ts";
import { requireNode } from "../config.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import type { ChatSession } from "./chat-session.ts";
import { checkSafety, waitFor, waitForGasless } from "./transfer.ts";

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

/** Pays a request or invoice card (tip for invoices), then says so in its chat. */
export async function payCardFlow(
  cli: Cli,
  session: ChatSession,
  {
    card,
    tip,
    gasless,
    iKnow,
    confirm,
  }: { card: Card; tip: string | undefined; gasless: boolean; iKnow: boolean | undefined; confirm: Confirm },
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
