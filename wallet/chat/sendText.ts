import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import type { ChatConnection, SendOptions, SentMessage } from "./connectChat.ts";

/**
 * Sends a text message. Every line break becomes `\n`: `\r\n` and a lone `\r` (a carriage return could
 * redraw a terminal line), and the Unicode line and paragraph separators U+2028/U+2029 that pasted text
 * may hold. Other control characters, bidirectional overrides and invisible characters are refused
 * (`InvalidChatMessageError`), as in memos; tab, ZWJ and ZWNJ are kept.
 *
 * `options.id` keeps a message's id across retries (a message typed offline): the hub stores it once.
 *
 * @example
 * await sendText(chat, { type: "direct", address: bob }, "lunch at 1?");
 */
export function sendText(
  chat: ChatConnection,
  to: ConversationTargetInput,
  text: string,
  options?: SendOptions,
): Promise<SentMessage> {
  return chat.send(to, { type: "text", text: text.replace(/\r\n?|[\u2028\u2029]/g, "\n") }, options);
}
