// What the chat screens keep across reloads, in the account's IndexedDB ("gram", store "chat-view"): the
// list of conversations (label, last message, unread count, read cursor) and the outbox (messages typed
// while offline, each with the id it will be sent under). One record per account, chain and hub, checked
// on read; a damaged record is started afresh (the hub still holds every message).
import type { Address, Hex } from "viem";
import { z } from "zod";
import { accountKey, type GramDatabase } from "../../storage/gram-db.ts";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const target = z.discriminatedUnion("type", [
  z.object({ type: z.literal("direct"), address: hex }),
  z.object({ type: z.literal("group"), id: hex }),
]);

const summarySchema = z.object({
  /** The conversation's id (`conversationOf`). */
  id: hex,
  target,
  label: z.string(),
  unread: z.number().int().min(0),
  /** The newest message's `sentAt` read here (the read cursor). */
  readAt: z.number(),
  last: z
    .object({
      text: z.string(),
      sentAt: z.number(),
      outgoing: z.boolean(),
      badge: z.enum(["payment", "request", "invoice"]).optional(),
    })
    .optional(),
});

const queuedSchema = z.object({
  /** The message id it is sent under, every time: the hub stores it once. */
  id: hex,
  conversation: hex,
  target,
  text: z.string(),
  createdAt: z.number(),
  /** The hub refused it (not a lost connection): why. It stays to be seen, not sent again. */
  failed: z.string().optional(),
});

const recordSchema = z.object({
  v: z.literal(1),
  conversations: z.array(summarySchema),
  outbox: z.array(queuedSchema),
});

export type ConversationTargetView = { type: "direct"; address: Address } | { type: "group"; id: Hex };
export type ConversationSummary = Omit<z.output<typeof summarySchema>, "id" | "target"> & {
  id: Hex;
  target: ConversationTargetView;
};
export type QueuedMessage = Omit<z.output<typeof queuedSchema>, "id" | "conversation" | "target"> & {
  id: Hex;
  conversation: Hex;
  target: ConversationTargetView;
};
export interface ChatViewRecord {
  conversations: ConversationSummary[];
  outbox: QueuedMessage[];
}

export interface ChatViewStore {
  load(): Promise<ChatViewRecord>;
  save(record: ChatViewRecord): Promise<void>;
}

/** The record of `account` on `chainId` and the hub at `url`. */
export function indexedDbChatViewStore(
  db: GramDatabase,
  { account, chainId, url }: { account: Address; chainId: number; url: string },
): ChatViewStore {
  const key = accountKey(account, `${chainId} ${url}`);
  return {
    async load() {
      const saved = await db.get("chat-view", key);
      const parsed = recordSchema.safeParse(saved);
      if (!parsed.success) return { conversations: [], outbox: [] };
      return parsed.data as unknown as ChatViewRecord;
    },
    async save(record) {
      await db.put("chat-view", { v: 1, ...record }, key);
    },
  };
}
