import type { Address, Hash, Hex } from "viem";
import { type PaymentBody, parseBody } from "../../protocol/chat/body.ts";
import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";
import { InvalidChatMessageError } from "./errors.ts";

export interface SendPaymentParameters {
  to: ConversationTargetInput;
  token: Address;
  /** Base units. */
  amount: bigint;
  /** Who was paid. */
  recipient: Address;
  /** The transaction that paid (for a gasless send, the relayer's). */
  tx?: Hash | undefined;
  /** The ERC-3009 nonce, for a relayed authorization. */
  authorization?: Hex | undefined;
  /** The request message id or invoice id this pays. */
  ref?: Hex | undefined;
  memo?: string | undefined;
}

/**
 * Tells the chat that the wallet paid: the receiver's client checks it on the chain before showing it as
 * received. Send it only for a transfer this wallet made (see `sendChatTransfer`).
 *
 * @example
 * await sendPayment(chat, { to: { type: "direct", address: bob }, token, amount: 5_000_000_000n,
 *   recipient: bob, tx: hash, memo: "lunch" });
 */
export function sendPayment(chat: ChatConnection, parameters: SendPaymentParameters): Promise<SentMessage> {
  return chat.send(parameters.to, paymentBody(parameters));
}

/** The body of a payment message, checked: a bad memo is refused before any money moves. */
export function paymentBody({
  token,
  amount,
  recipient,
  tx,
  authorization,
  ref,
  memo,
}: Omit<SendPaymentParameters, "to">): PaymentBody {
  const body = {
    type: "payment" as const,
    token,
    amount: amount.toString(),
    to: recipient,
    ...(tx === undefined ? {} : { tx }),
    ...(authorization === undefined ? {} : { authorization }),
    ...(ref === undefined ? {} : { ref }),
    ...(memo === undefined ? {} : { memo }),
  };
  try {
    return parseBody(body) as PaymentBody;
  } catch (error) {
    if (error instanceof ChatProtocolError) throw new InvalidChatMessageError(error.shortMessage, { cause: error });
    throw error;
  }
}
