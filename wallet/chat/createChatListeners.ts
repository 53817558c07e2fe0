// What a chat connection tells its listeners, and the listeners themselves: each event goes to every
// listener in turn, and the next event waits for them, so that a listener sees the inbox in seq order.
import type { GroupInfo, StatusUpdate } from "../../protocol/chat/frames.ts";
import type { ChatMessage, RejectedMessage } from "./verifyIncoming.ts";

/** What the inbox delivers, in seq order, each once; and what happens to the connection. */
export type ChatEvent =
  | { type: "message"; seq: number; message: ChatMessage }
  | { type: "rejected"; seq: number; rejection: RejectedMessage }
  | { type: "status"; seq: number; status: StatusUpdate }
  | { type: "group"; seq: number; group: GroupInfo }
  /** The inbox is read up to `lastSeq`: what was missed has been delivered. */
  | { type: "synced"; lastSeq: number }
  | { type: "disconnected"; code: number; reason: string }
  | { type: "reconnected" };

/** An inbox entry's event. */
export type InboxEvent = Extract<ChatEvent, { seq: number }>;

export type ChatListener = (event: ChatEvent) => void | Promise<void>;

export interface ChatListeners {
  /** Listens until the returned function is called. */
  add(listener: ChatListener): () => void;
  /** Calls every listener in turn; resolves once each has (a listener's failure is its own). */
  emit(event: ChatEvent): Promise<void>;
}

/**
 * @example
 * const listeners = createChatListeners(params.onEvent);
 * await listeners.emit({ type: "reconnected" });
 */
export function createChatListeners(first?: ChatListener): ChatListeners {
  const listeners = new Set<ChatListener>();
  if (first !== undefined) listeners.add(first);
  return {
    add(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async emit(event) {
      for (const listener of [...listeners]) {
        try {
          await listener(event);
        } catch {
          // A listener's failure is its own; the inbox goes on.
        }
      }
    },
  };
}
