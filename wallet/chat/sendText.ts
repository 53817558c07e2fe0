import type { ConversationTargetInput } from "../../protocol/chat/envelope.ts";
import type { ChatConnection, SentMessage } from "./connectChat.ts";

/**
 * Sends a text message. `\r\n` and lone `\r` become `\n` (a carriage return could redraw a terminal line);
 * other control characters and bidirectional overrides are refused (`InvalidChatMessageError`).
 *
 * @example
 * await sendText(chat, { type: "direct", address: bob }, "lunch at 1?");
 */
export function sendText(chat: ChatConnection, to: ConversationTargetInput, text: string): Promise<SentMessage> {
  return chat.send(to, { type: "text", text: text.replace(/\r\n?/g, "\n") });
}
