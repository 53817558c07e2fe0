import { getAddress, type Hex } from "viem";
import { type ConversationTargetInput, conversationOf } from "../../protocol/chat/envelope.ts";
import type { ChatConnection } from "./connectChat.ts";
import { ChatUnavailableError } from "./errors.ts";
import { type ChatMessage, isRejected, type RejectedMessage, verifyIncoming } from "./verifyIncoming.ts";

export interface ReadChatHistoryParameters {
  /** Messages with a conversation index below this; the newest when left out. */
  before?: number;
  limit?: number;
}

export interface HistoryPage {
  conversation: Hex;
  /** Oldest first; `index` counts the conversation's messages from 1. */
  messages: { index: number; checked: ChatMessage | RejectedMessage }[];
  /** Older messages remain: ask again with `before` = the first index. */
  more: boolean;
}

/**
 * A conversation's messages from the hub, each verified as an inbox message is (signature, chain,
 * addressing), but with no replay check: history repeats by design. A message of another conversation
 * is `NOT_IN_CONVERSATION`.
 *
 * @example
 * const page = await readChatHistory(chat, { type: "direct", address: bob }, { limit: 20 });
 * for (const { checked } of page.messages) if (!isRejected(checked)) show(checked);
 */
export async function readChatHistory(
  chat: Pick<ChatConnection, "request" | "address" | "domain">,
  to: ConversationTargetInput,
  options: ReadChatHistoryParameters = {},
): Promise<HistoryPage> {
  const me = chat.address;
  const expected = conversationOf(me, parseTarget(to));
  const page = await chat.request({ op: "history", conversation: to, ...options });
  if (page.type !== "history" || !Array.isArray(page.messages)) {
    throw new ChatUnavailableError("the chat hub answered a history request with something else");
  }
  const messages: HistoryPage["messages"] = [];
  for (const item of page.messages as { index?: unknown; envelope?: unknown }[]) {
    let checked = await verifyIncoming(item?.envelope, { domain: chat.domain, me });
    if (!isRejected(checked) && checked.conversation !== expected) {
      checked = {
        id: checked.envelope.id,
        from: checked.envelope.from,
        code: "NOT_IN_CONVERSATION",
        reason: "the hub returned a message of another conversation",
      };
    }
    messages.push({ index: Number(item?.index), checked });
  }
  return { conversation: expected, messages, more: page.more === true };
}

function parseTarget(to: ConversationTargetInput) {
  return to.type === "group"
    ? { type: "group" as const, id: to.id.toLowerCase() as Hex }
    : { type: "direct" as const, address: getAddress(to.address) };
}
