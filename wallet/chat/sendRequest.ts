import type { Address } from "viem";
import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";

export interface SendRequestParameters {
  to: ConversationTargetInput;
  token: Address;
  /** Base units, more than 0. */
  amount: bigint;
  /** Unix seconds after which the request should no longer be paid. */
  expiry: number;
  memo?: string | undefined;
}

/**
 * Asks to be paid. Nothing is signed but the message: the payer's wallet shows the card and pays it with
 * its own summary and confirmation.
 *
 * @example
 * await sendRequest(chat, { to: { type: "direct", address: alice }, token, amount: 5_000_000_000n,
 *   expiry: now + 86_400, memo: "pizza" });
 */
export function sendRequest(
  chat: ChatConnection,
  { to, token, amount, expiry, memo }: SendRequestParameters,
): Promise<SentMessage> {
  return chat.send(to, {
    type: "request",
    token,
    amount: amount.toString(),
    expiry,
    ...(memo === undefined ? {} : { memo }),
  });
}
