// The interactive chat's conversations: the ones seen in this session (from the inbox or opened by the
// user), which one is open, how many new messages each has, and the last request or invoice card someone
// else sent in each (what a bare `/pay` pays). A message is shown as `gram chat read` shows it: cards
// remembered, payments checked on the chain.
import type { Hex } from "viem";
import { type ConversationTarget, conversationOf } from "../../../../protocol/chat/envelope.ts";
import { cardOf, rememberCard } from "../../../chat/cards.ts";
import { readChatHistory } from "../../../chat/readChatHistory.ts";
import type { ResolvedPeer } from "../../../chat/resolvePeer.ts";
import { type ChatMessage, isRejected } from "../../../chat/verifyIncoming.ts";
import { CliError } from "../../errors.ts";
import type { ChatSession } from "./session.ts";
import type { Terminal } from "./terminal.ts";
import { messageLines, rejectedLines, viewMessage, viewRejected } from "./view.ts";

export interface Conversation {
  target: ConversationTarget;
  label: string;
  unread: number;
  /** The newest request or invoice card someone else sent here. */
  lastCard: ChatMessage | undefined;
}

export interface Conversations {
  /** The open conversation's id, if one is open. */
  readonly openId: Hex | undefined;
  /** The conversations of this session, by id. */
  readonly all: ReadonlyMap<Hex, Conversation>;
  /** The lines that show `message`; a card is remembered, a payment checked. */
  show(message: ChatMessage, seq: number | null): Promise<string[]>;
  /** The conversation `message` is in, made when first seen. */
  of(message: ChatMessage): Promise<Conversation>;
  /** Opens the conversation with `peer` and shows its last messages. */
  open(peer: ResolvedPeer): Promise<Conversation>;
  /** The open conversation, or a usage error. */
  current(): Conversation;
}

const HISTORY_SHOWN = 20;

export function createConversations(session: ChatSession, ui: Terminal): Conversations {
  const { chat, me } = session;
  const all = new Map<Hex, Conversation>();
  let openId: Hex | undefined;

  const show = async (message: ChatMessage, seq: number | null) => {
    const body = message.envelope.body;
    if (body.type === "request" || body.type === "invoice") rememberCard(chat.state, message);
    const verification = body.type === "payment" ? await session.payments.check(message) : undefined;
    const context = { client: session.connection.client, names: session.names, me };
    return messageLines(await viewMessage(context, message, seq, verification));
  };

  /** Notes the card of a message someone else sent. */
  const noteCard = (conversation: Conversation, message: ChatMessage) => {
    if (!message.outgoing && cardOf(message, me) !== undefined) conversation.lastCard = message;
  };

  return {
    get openId() {
      return openId;
    },
    all,
    show,
    async of(message) {
      let conversation = all.get(message.conversation);
      if (conversation === undefined) {
        const { envelope } = message;
        const target: ConversationTarget =
          envelope.to.type === "group"
            ? envelope.to
            : { type: "direct", address: message.outgoing ? envelope.to.address : envelope.from };
        const label =
          target.type === "group"
            ? (chat.state.groups.find((g) => g.id === target.id)?.name ?? `group ${target.id.slice(0, 10)}`)
            : await session.names.label(target.address);
        conversation = { target, label, unread: 0, lastCard: undefined };
        all.set(message.conversation, conversation);
      }
      noteCard(conversation, message);
      return conversation;
    },
    async open(peer) {
      const id = conversationOf(me, peer.target);
      let conversation = all.get(id);
      if (conversation === undefined) {
        conversation = { target: peer.target, label: peer.label, unread: 0, lastCard: undefined };
        all.set(id, conversation);
      }
      conversation.unread = 0;
      openId = id;
      const page = await readChatHistory(chat, peer.target, { limit: HISTORY_SHOWN });
      const lines = [`--- ${peer.label} ---`];
      for (const { checked } of page.messages) {
        if (isRejected(checked)) {
          lines.push(...rejectedLines(viewRejected(checked, null)));
          continue;
        }
        noteCard(conversation, checked);
        lines.push(...(await show(checked, null)));
      }
      if (page.messages.length === 0) lines.push("(no messages yet)");
      ui.say(lines);
      return conversation;
    },
    current() {
      const conversation = openId === undefined ? undefined : all.get(openId);
      if (conversation === undefined) throw new CliError("USAGE", "no chat is open: /open @name first");
      return conversation;
    },
  };
}
