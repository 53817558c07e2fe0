// The chat screens' model: the conversations of the signed-in account (direct chats and groups), their
// messages as far as the screens have seen them, unread counts and read cursors, each payment's live
// verification (the session's payment tracker: the chain's word), the hub connection's state, and the
// outbox of messages typed while offline. Fed by the session's chat events and by the hub's history for
// older pages; the list and the outbox are kept in IndexedDB (chat-view-store.ts). The screens read the
// `chatModel` signal and re-render on `revision`.
import { effect, signal } from "@preact/signals";
import { type Address, getAddress, type Hex, isAddressEqual } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { Body } from "../../../protocol/chat/body.ts";
import { conversationOf } from "../../../protocol/chat/envelope.ts";
import type { GroupInfo } from "../../../protocol/chat/frames.ts";
import { randomMessageId } from "../../../protocol/chat/sign.ts";
import { readTokenInfo } from "../../../wallet/actions/readTokenInfo.ts";
import { type Card, cardOf, rememberCard } from "../../../wallet/chat/cards.ts";
import type { ChatEvent } from "../../../wallet/chat/createChatListeners.ts";
import { ChatRefusedError } from "../../../wallet/chat/errors.ts";
import { listGroups } from "../../../wallet/chat/listGroups.ts";
import { readChatHistory } from "../../../wallet/chat/readChatHistory.ts";
import { sendText } from "../../../wallet/chat/sendText.ts";
import { type ChatMessage, isRejected, seenKey } from "../../../wallet/chat/verifyIncoming.ts";
import type { PaymentVerification } from "../../../wallet/chat/verifyPayment.ts";
import { openGramDb } from "../../storage/gram-db.ts";
import { type Session, session } from "../session.ts";
import {
  type ChatViewStore,
  type ConversationSummary,
  type ConversationTargetView,
  indexedDbChatViewStore,
  type QueuedMessage,
} from "./chat-view-store.ts";

/** One message as a conversation shows it. */
export interface MessageItem {
  /** `seenKey`: sender and id. */
  key: string;
  id: Hex;
  from: Address;
  outgoing: boolean;
  sentAt: number;
  body: Body;
  /** A request or invoice card (decoded from what was signed). */
  card?: Card | undefined;
  /** A payment's verification, live. */
  verification?: PaymentVerification | undefined;
  /** Still in the outbox: not yet stored by the hub. */
  queued?: { failed: string | undefined } | undefined;
}

export interface Conversation extends ConversationSummary {
  /** The route's key: the peer's address or the group's id. */
  route: string;
  messages: MessageItem[];
  /** The hub's history was read (the newest page). */
  loaded: boolean;
  /** The index of the oldest message read from history (for the next older page). */
  oldest: number | undefined;
  more: boolean;
}

export type ConnectionState = "online" | "offline" | "reconnecting";

export interface ChatModel {
  session: Session;
  conversations: Map<Hex, Conversation>;
  outbox: QueuedMessage[];
  connection: ConnectionState;
  /** The conversation on screen (its unread count stays 0). */
  open: Hex | undefined;
  /** Messages the client refused (bad signature, replay…): never shown as messages, only counted. */
  refused: number;
  /** The last refusal's code and reason. */
  lastRefusal: string | undefined;
  username: string | null;
  tokens: Map<string, { symbol: string; decimals: number }>;
  labels: Map<string, string>;
  store: ChatViewStore;
}

export const chatModel = signal<ChatModel | undefined>(undefined);
/** Bumped on every change of the model: screens read it to re-render. */
export const revision = signal(0);

const bump = () => {
  revision.value++;
};

const routeOf = (target: ConversationTargetView) => (target.type === "direct" ? target.address : target.id);

/** A conversation's target from its route key (`#/chat/<address or group id>`); undefined when malformed. */
export function targetOfRoute(route: string): ConversationTargetView | undefined {
  if (/^0x[0-9a-fA-F]{64}$/.test(route)) return { type: "group", id: route.toLowerCase() as Hex };
  if (/^0x[0-9a-fA-F]{40}$/.test(route)) return { type: "direct", address: getAddress(route) };
  return undefined;
}

/** The short text of a message for the list. */
function previewOf(item: MessageItem, model: ChatModel): NonNullable<ConversationSummary["last"]> {
  const { body } = item;
  const base = { sentAt: item.sentAt, outgoing: item.outgoing };
  if (body.type === "text") return { ...base, text: body.text.slice(0, 120) };
  const amount = (token: Address, units: string | bigint) => formatUnits(model, token, BigInt(units));
  if (body.type === "payment") return { ...base, text: `Payment ${amount(body.token, body.amount)}`, badge: "payment" };
  if (body.type === "request") return { ...base, text: `Request ${amount(body.token, body.amount)}`, badge: "request" };
  const title = item.card?.kind === "invoice" ? item.card.metadata.title : "Invoice";
  return { ...base, text: `Invoice: ${title}`, badge: "invoice" };
}

/** `12.5 GRAM` (`formatAmount`, the token's decimals once read from the token); the base units until then. */
export function formatUnits(model: ChatModel, token: Address, units: bigint): string {
  const info = model.tokens.get(token.toLowerCase());
  if (info === undefined) {
    void ensureToken(model, token);
    return `${units} units`;
  }
  return `${formatAmount(units, info.decimals)} ${info.symbol}`;
}

const asked = new WeakMap<ChatModel, Set<string>>();
async function ensureToken(model: ChatModel, token: Address) {
  const key = token.toLowerCase();
  const mine = asked.get(model) ?? new Set<string>();
  asked.set(model, mine);
  if (mine.has(key)) return;
  mine.add(key);
  try {
    const info = await readTokenInfo(model.session.client, { token });
    model.tokens.set(key, { symbol: info.symbol, decimals: info.decimals });
  } catch {
    model.tokens.set(key, { symbol: `units of ${token}`, decimals: 0 });
  }
  bump();
}

/** A label fit for a title: a bare address shortened to `0x90F7…b906`. */
export function shortLabel(label: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(label) ? `${label.slice(0, 6)}…${label.slice(-4)}` : label;
}

/** The label of an address: `@contact`, `~username`, or the address, resolved once then kept. */
export function labelOf(model: ChatModel, address: Address): string {
  const key = address.toLowerCase();
  const known = model.labels.get(key);
  if (known !== undefined) return known;
  model.labels.set(key, model.session.names.known(address));
  void model.session.names.label(address).then((label) => {
    if (model.labels.get(key) !== label) {
      model.labels.set(key, label);
      for (const c of model.conversations.values()) {
        if (c.target.type === "direct" && c.target.address.toLowerCase() === key) c.label = label;
      }
      bump();
      schedulePersist(model);
    }
  });
  return model.labels.get(key) as string;
}

/** The conversation with `target`, made when first needed. */
export function conversationFor(model: ChatModel, target: ConversationTargetView, label?: string): Conversation {
  const id = conversationOf(model.session.address, target);
  let conversation = model.conversations.get(id);
  if (conversation === undefined) {
    conversation = {
      id,
      target,
      route: routeOf(target),
      label:
        label ??
        (target.type === "direct"
          ? labelOf(model, target.address)
          : (model.session.chat.state.groups.find((g) => g.id === target.id)?.name ??
            `group ${target.id.slice(0, 10)}`)),
      unread: 0,
      readAt: 0,
      last: undefined,
      messages: [],
      loaded: false,
      oldest: undefined,
      more: false,
    };
    model.conversations.set(id, conversation);
  }
  return conversation;
}

function itemOf(model: ChatModel, message: ChatMessage): MessageItem {
  const { envelope } = message;
  const body = envelope.body;
  if (body.type === "payment" || body.type === "request") void ensureToken(model, body.token);
  const card = cardOf(message, model.session.address);
  if (card !== undefined) {
    rememberCard(model.session.chat.state, message);
    void ensureToken(model, card.token);
  }
  return {
    key: seenKey(envelope),
    id: envelope.id,
    from: envelope.from,
    outgoing: message.outgoing,
    sentAt: envelope.sentAt,
    body,
    card,
  };
}

/** Adds (or replaces) a message in its conversation, sorted by time; checks a payment on the chain. */
function addMessage(model: ChatModel, message: ChatMessage, live: boolean) {
  const { envelope } = message;
  const target: ConversationTargetView =
    envelope.to.type === "group"
      ? { type: "group", id: envelope.to.id }
      : { type: "direct", address: message.outgoing ? envelope.to.address : envelope.from };
  const conversation = conversationFor(model, target);
  const item = itemOf(model, message);
  const at = conversation.messages.findIndex((m) => m.key === item.key);
  if (at >= 0) {
    item.verification = conversation.messages[at]?.verification;
    conversation.messages[at] = item;
  } else {
    conversation.messages.push(item);
    conversation.messages.sort((a, b) => a.sentAt - b.sentAt);
  }
  // The hub's echo of a message from the outbox: it is stored, once.
  if (message.outgoing) dropQueued(model, envelope.id);
  if (conversation.last === undefined || item.sentAt >= conversation.last.sentAt) {
    conversation.last = previewOf(item, model);
  }
  if (live && !message.outgoing && item.sentAt > conversation.readAt) {
    if (model.open === conversation.id && document.visibilityState === "visible") conversation.readAt = item.sentAt;
    else conversation.unread++;
  }
  if (body(item) === "payment") {
    void model.session.payments.check(message).then((verification) => {
      item.verification = verification;
      bump();
    });
  }
  schedulePersist(model);
  bump();
}

const body = (item: MessageItem) => item.body.type;

function dropQueued(model: ChatModel, id: Hex) {
  const before = model.outbox.length;
  model.outbox = model.outbox.filter((q) => q.id !== id);
  if (model.outbox.length !== before) {
    for (const c of model.conversations.values()) c.messages = c.messages.filter((m) => !(m.queued && m.id === id));
    schedulePersist(model);
  }
}

function applyUpdates(model: ChatModel, updates: { id: Hex; from: Address; verification: PaymentVerification }[]) {
  if (updates.length === 0) return;
  for (const update of updates) {
    for (const c of model.conversations.values()) {
      for (const m of c.messages) {
        if (m.id === update.id && isAddressEqual(m.from, update.from)) m.verification = update.verification;
      }
    }
  }
  bump();
}

function onEvent(model: ChatModel, event: ChatEvent) {
  switch (event.type) {
    case "message":
      addMessage(model, event.message, true);
      return;
    case "rejected":
      model.refused++;
      model.lastRefusal = `${event.rejection.code}: ${event.rejection.reason}`;
      bump();
      return;
    case "status":
      void model.session.payments.hint(event.status).then((updates) => applyUpdates(model, updates));
      return;
    case "group":
      addGroup(model, event.group);
      return;
    case "disconnected":
      model.connection = navigator.onLine ? "reconnecting" : "offline";
      bump();
      return;
    case "reconnected":
      model.connection = "online";
      bump();
      void flushOutbox(model);
      return;
    case "synced":
      return;
  }
}

function addGroup(model: ChatModel, group: Pick<GroupInfo, "name"> & { id: string }) {
  const conversation = conversationFor(model, { type: "group", id: group.id as Hex }, group.name);
  conversation.label = group.name;
  schedulePersist(model);
  bump();
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;
function schedulePersist(model: ChatModel) {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(() => void persist(model), 50);
}

function persist(model: ChatModel) {
  const conversations: ConversationSummary[] = [...model.conversations.values()].map((c) => ({
    id: c.id,
    target: c.target,
    label: c.label,
    unread: c.unread,
    readAt: c.readAt,
    ...(c.last === undefined ? {} : { last: c.last }),
  }));
  return model.store.save({ conversations, outbox: model.outbox }).catch((error: unknown) => {
    console.warn("the chat list could not be saved", error);
  });
}

/** The conversations, newest first. */
export function sortedConversations(model: ChatModel): Conversation[] {
  return [...model.conversations.values()].sort((a, b) => (b.last?.sentAt ?? 0) - (a.last?.sentAt ?? 0));
}

/** Opens a conversation: unread to 0, the newest page of history read once. */
export async function openConversation(model: ChatModel, conversation: Conversation) {
  model.open = conversation.id;
  markRead(model, conversation);
  if (!conversation.loaded) {
    conversation.loaded = true;
    await loadOlder(model, conversation).catch((error: unknown) => {
      conversation.loaded = false;
      throw error;
    });
  }
}

export function markRead(model: ChatModel, conversation: Conversation) {
  const newest = conversation.messages.at(-1)?.sentAt ?? 0;
  if (conversation.unread === 0 && conversation.readAt >= newest) return;
  conversation.unread = 0;
  conversation.readAt = Math.max(conversation.readAt, newest);
  schedulePersist(model);
  bump();
}

/** Reads the next older page of the conversation from the hub (verified message by message). */
export async function loadOlder(model: ChatModel, conversation: Conversation) {
  const page = await readChatHistory(model.session.chat, conversation.target, {
    limit: 30,
    ...(conversation.oldest === undefined ? {} : { before: conversation.oldest }),
  });
  for (const { index, checked } of page.messages) {
    conversation.oldest = Math.min(conversation.oldest ?? index, index);
    if (isRejected(checked)) continue;
    addMessage(model, checked, false);
  }
  conversation.more = page.more;
  bump();
}

/** Queues `text` for `conversation` (kept in IndexedDB) and sends it if the connection is up. */
export async function sendMessage(model: ChatModel, conversation: Conversation, text: string) {
  const queued: QueuedMessage = {
    id: randomMessageId(),
    conversation: conversation.id,
    target: conversation.target,
    text,
    createdAt: Date.now(),
  };
  model.outbox.push(queued);
  conversation.messages.push(queuedItem(model, queued));
  await persist(model);
  bump();
  await flushOutbox(model);
}

function queuedItem(model: ChatModel, queued: QueuedMessage): MessageItem {
  return {
    key: `${model.session.address.toLowerCase()}:${queued.id}`,
    id: queued.id,
    from: model.session.address,
    outgoing: true,
    sentAt: queued.createdAt,
    body: { type: "text", text: queued.text },
    queued: { failed: queued.failed },
  };
}

let flushing: Promise<void> | undefined;
/**
 * Sends the outbox in order, each under its own id: a message the hub already stored (its answer was
 * lost with the connection) is refused as REPLAYED and counts as sent. Stops at a lost connection (the
 * next `reconnected` or `online` sends the rest); a message the hub refuses for another reason stays,
 * marked failed.
 */
export function flushOutbox(model: ChatModel): Promise<void> {
  if (flushing !== undefined) return flushing.then(() => flushOutbox(model));
  if (!navigator.onLine) {
    model.connection = "offline";
    bump();
    return Promise.resolve();
  }
  flushing = (async () => {
    for (const queued of [...model.outbox]) {
      if (queued.failed !== undefined || !model.outbox.includes(queued)) continue;
      try {
        await sendText(model.session.chat, queued.target, queued.text, { id: queued.id });
        dropQueued(model, queued.id);
      } catch (error) {
        if (error instanceof ChatRefusedError && error.hubCode === "REPLAYED") {
          dropQueued(model, queued.id);
        } else if (error instanceof ChatRefusedError && error.kind === "user") {
          queued.failed = error.message;
          for (const c of model.conversations.values()) {
            for (const m of c.messages) if (m.queued && m.id === queued.id) m.queued = { failed: error.message };
          }
          schedulePersist(model);
        } else {
          break;
        }
      }
      bump();
    }
  })().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

/** Drops a message the hub refused from the outbox (the user saw why). */
export function discardQueued(model: ChatModel, id: Hex) {
  dropQueued(model, id);
  bump();
}

/** Re-checks pending payments every 2 s while any is on screen (a status from the hub also triggers one). */
function watchPending(model: ChatModel): () => void {
  const timer = setInterval(() => {
    const pending = [...model.conversations.values()].some((c) =>
      c.messages.some((m) => m.body.type === "payment" && m.verification?.state !== "confirmed"),
    );
    if (pending) void model.session.payments.recheck().then((updates) => applyUpdates(model, updates));
  }, 2_000);
  return () => clearInterval(timer);
}

async function startModel(current: Session, events: EventTap): Promise<() => void> {
  const db = await openGramDb();
  const store = indexedDbChatViewStore(db, {
    account: current.address,
    chainId: current.chain.config.chainId,
    url: current.chat.url,
  });
  const saved = await store.load();
  const model: ChatModel = {
    session: current,
    conversations: new Map(),
    outbox: saved.outbox,
    connection: navigator.onLine ? "online" : "offline",
    open: undefined,
    refused: 0,
    lastRefusal: undefined,
    username: current.chat.username,
    tokens: new Map(),
    labels: new Map(),
    store,
  };
  for (const summary of saved.conversations) {
    model.conversations.set(summary.id, {
      ...summary,
      route: routeOf(summary.target),
      messages: [],
      loaded: false,
      oldest: undefined,
      more: false,
    });
  }
  for (const queued of saved.outbox) {
    const conversation = model.conversations.get(queued.conversation) ?? conversationFor(model, queued.target);
    conversation.messages.push(queuedItem(model, queued));
  }
  for (const group of current.chat.state.groups) addGroup(model, group);
  void ensureToken(model, current.client.contracts.token);
  events.deliver((event) => onEvent(model, event));
  const stopPending = watchPending(model);
  const online = () => {
    if (model.connection === "offline") model.connection = "online";
    bump();
    // The socket may have survived, or reconnects by itself: either way the outbox goes (once).
    void flushOutbox(model);
  };
  const offline = () => {
    model.connection = "offline";
    bump();
  };
  window.addEventListener("online", online);
  window.addEventListener("offline", offline);
  chatModel.value = model;
  void listGroups(current.chat)
    .then((groups) => {
      for (const group of groups) addGroup(model, group);
    })
    .catch(() => {});
  void flushOutbox(model);
  return () => {
    events.stop();
    stopPending();
    window.removeEventListener("online", online);
    window.removeEventListener("offline", offline);
    void persist(model);
    if (chatModel.value === model) chatModel.value = undefined;
  };
}

/** The session's events, taken from the moment it signs in and held until the model is ready for them. */
interface EventTap {
  deliver(listener: (event: ChatEvent) => void): void;
  stop(): void;
}

function tapEvents(current: Session): EventTap {
  const held: ChatEvent[] = [];
  let listener: ((event: ChatEvent) => void) | undefined;
  const stop = current.onChat((event) => {
    if (listener === undefined) held.push(event);
    else listener(event);
  });
  return {
    deliver(next) {
      for (const event of held.splice(0)) next(event);
      listener = next;
    },
    stop,
  };
}

// One model per signed-in session: made when the tab signs in, dropped when it signs out. It listens at
// once (before any screen renders), so that it is the session's first listener and gets the first sync.
let stopCurrent: (() => void) | undefined;
effect(() => {
  const current = session.value;
  stopCurrent?.();
  stopCurrent = undefined;
  if (current === undefined) return;
  const events = tapEvents(current);
  let stopped = false;
  void startModel(current, events).then(
    (stop) => {
      if (stopped) stop();
      else stopCurrent = stop;
    },
    (error: unknown) => {
      events.stop();
      console.error("the chat could not start", error);
    },
  );
  stopCurrent = () => {
    stopped = true;
    events.stop();
  };
});
