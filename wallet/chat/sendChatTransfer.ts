import type { Address, Hash, Hex } from "viem";
import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import type { RelayTransferRequestJson } from "../../protocol/relay.ts";
import { type GramClient, requireAccount } from "../actions/client.ts";
import { parseTokenAmount } from "../actions/internal/amount.ts";
import { authorizationOf, lookUpRelayed } from "../actions/internal/relayed.ts";
import type { Confirm } from "../actions/internal/submitTransaction.ts";
import type { ReadTokenInfoReturnType } from "../actions/readTokenInfo.ts";
import { sendTransfer } from "../actions/sendTransfer.ts";
import { sendTransferGasless } from "../actions/sendTransferGasless.ts";
import { InvalidAmountError } from "../errors.ts";
import { createNodeClient } from "../node/createNodeClient.ts";
import { http } from "../node/http.ts";
import type { TransactionSummary } from "../summary/types.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";
import { PaymentMessageNotSentError } from "./errors.ts";
import { paymentBody, sendPayment } from "./sendPayment.ts";

export interface SendChatTransferParameters {
  /** Where the payment message goes: the chat with the recipient, or a group. */
  to: ConversationTargetInput;
  recipient: Address;
  /** In whole tokens, as the user typed it: "12.5". */
  amount: string;
  /** @default the configured GramToken */
  token?: Address | undefined;
  memo?: string | undefined;
  /** The request (message id) this pays. */
  ref?: Hex | undefined;
  /** A node URL: its relayer submits a gasless ERC-3009 transfer. Left out: a direct transfer, gas paid here. */
  relayer?: string | undefined;
  /** Shown the summary of what is about to be signed; resolve false to refuse. */
  confirm?: Confirm | undefined;
}

export interface SendChatTransferReturnType {
  /** The transaction: the wallet's own, or the relayer's. Not yet mined: wait for its receipt. */
  hash: Hash;
  /** The ERC-3009 nonce of a gasless transfer. */
  authorization: Hex | undefined;
  /** A gasless transfer's signed request, as the relayer got it: `waitForRelayedPayment` checks its receipt. */
  relayRequest: RelayTransferRequestJson | undefined;
  units: bigint;
  token: ReadTokenInfoReturnType;
  summary: TransactionSummary;
  message: SentMessage;
}

/**
 * Pays in a chat: a direct ERC-20 transfer (or a gasless one through the node's relayer), then a
 * `payment` message naming its transaction, sent as soon as the transaction is out so that the receiver
 * sees it pending, then confirmed by the chain. The message is checked before any money moves; if it
 * cannot be sent once the money has, `PaymentMessageNotSentError` names the transaction.
 *
 * @example
 * const { hash } = await sendChatTransfer(client, chat, { to: { type: "direct", address: bob },
 *   recipient: bob, amount: "5", memo: "lunch", confirm: ask });
 * await client.publicClient.waitForTransactionReceipt({ hash });
 */
export async function sendChatTransfer(
  client: GramClient,
  chat: ChatConnection,
  { to, recipient, amount, token = client.contracts.token, memo, ref, relayer, confirm }: SendChatTransferParameters,
): Promise<SendChatTransferReturnType> {
  requireAccount(client);
  const { units, token: info } = await parseTokenAmount(client, { text: amount, token, what: "amount" });
  if (units === 0n) throw new InvalidAmountError("amount: 0 sends nothing; expected more than 0", { reason: "zero" });
  // A memo the message would refuse is refused now, before anything is signed.
  const placeholder = `0x${"00".repeat(32)}` as Hash;
  paymentBody({ token: info.address, amount: units, recipient, tx: placeholder, ref, memo });

  let hash: Hash;
  let authorization: Hex | undefined;
  let relayRequest: RelayTransferRequestJson | undefined;
  let summary: TransactionSummary;
  if (relayer !== undefined) {
    const signed = await sendTransferGasless(client, {
      node: createNodeClient({ transport: http(relayer) }),
      to: recipient,
      amount,
      token: info.address,
      confirm,
    });
    hash = signed.hash;
    await lookUpRelayed(client, { txHash: hash, authorization: authorizationOf(signed.request) });
    authorization = signed.request.nonce as Hex;
    relayRequest = signed.request;
    summary = signed.summary;
  } else {
    const sent = await sendTransfer(client, { to: recipient, amount, token: info.address, confirm });
    hash = sent.hash;
    summary = sent.summary;
  }
  const message = await sendPayment(chat, {
    to,
    token: info.address,
    amount: units,
    recipient,
    tx: hash,
    authorization,
    ref,
    memo,
  }).catch((error: unknown) => {
    throw new PaymentMessageNotSentError(`paid (transaction ${hash}), but the chat message could not be sent`, {
      details: error instanceof Error ? error.message.split("\n")[0] : String(error),
      hint: "the payment stands; tell the receiver its transaction hash",
      cause: error,
    });
  });
  return { hash, authorization, relayRequest, units, token: info, summary, message };
}
