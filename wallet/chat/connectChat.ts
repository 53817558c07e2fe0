// A signed-in chat connection, put together from its parts: a hub connection that signs in (after
// checking that the hub asks for this URL and chain) and, if asked, reconnects (`openHubConnection`); the
// inbox read in seq order, each entry once, whatever the order frames arrive in (`createInboxSync`), every
// message verified before anyone sees it (`createInboxEvents`); and the state saved as entries are handled
// (`createChatStateSaver`) in a `ChatStateStore`, so that the next connection syncs exactly what it missed.
// Nothing here needs Node: the store and the WebSocket factory are given.
import { type Address, getAddress, type Hex, type LocalAccount } from "viem";
import type { BodyInput } from "../../protocol/chat/body.ts";
import type { ConversationTargetInput, Envelope } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import type { ClientFrameInput } from "../../protocol/chat/frames.ts";
import { type ChatDomainInfo, signEnvelope } from "../../protocol/chat/sign.ts";
import { type ChatState, type ChatStateStore, emptyChatState } from "./chat-state.ts";
import { chatUrlOf } from "./chat-url.ts";
import { type ChatEvent, type ChatListener, createChatListeners } from "./createChatListeners.ts";
import { createChatStateSaver } from "./createChatStateSaver.ts";
import { createInboxEvents } from "./createInboxEvents.ts";
import { createInboxSync, type InboxSync } from "./createInboxSync.ts";
import { InvalidChatMessageError } from "./errors.ts";
import { openHubConnection } from "./openHubConnection.ts";
import type { RawFrame, WebSocketFactory } from "./openHubSocket.ts";
import { standardWebSocket } from "./standardWebSocket.ts";

/** The key that signs in and signs messages: a viem local account. */
export type ChatAccount = Pick<LocalAccount, "address" | "signMessage" | "signTypedData">;

export interface ConnectChatParameters {
  /** The node's base URL (`http://127.0.0.1:8787`) or the hub's own `ws(s)://…/v1/chat`. */
  url: string;
  account: ChatAccount;
  /** The wallet's chain: the hub must be on it, and every message is signed for it. */
  chainId: number;
  /** The deployment's MerchantEscrow: chat signatures are bound to it. */
  escrow: Address;
  /** Where the state is kept (`fileChatStateStore(chatStateFile(…))` in the CLI). Memory only without one. */
  state?: ChatStateStore | undefined;
  /** Opens the WebSocket: the platform's own by default; `nodeWebSocket` in Node caps frames and names a 404. */
  webSocket?: WebSocketFactory | undefined;
  /** Read the inbox after sign-in (default true). Commands that only send leave it off. */
  sync?: boolean | undefined;
  /** Save the state as entries are handled (default true); otherwise only `saveState()` does. */
  autoSave?: boolean | undefined;
  /** Sign in again after a dropped connection and sync from where it stopped (default false). */
  reconnect?: boolean | undefined;
  /** For the connection and each answer (default 15 s). */
  timeoutMs?: number | undefined;
  /** Called for each event, in order; the next waits for a returned promise. */
  onEvent?: ChatListener | undefined;
}

export interface SentMessage {
  envelope: Envelope;
  /** Its seq in the sender's own inbox. */
  seq: number;
}

export interface SendOptions {
  /** The message id (32 bytes); a fresh random one when left out. Never reuse one for another message. */
  id?: Hex | undefined;
}

export interface ChatConnection {
  readonly url: string;
  readonly address: Address;
  /** The username the hub has for this account. */
  readonly username: string | null;
  readonly domain: ChatDomainInfo;
  /** The last inbox seq handled. */
  readonly lastSeq: number;
  /** The state, updated as entries are handled; helpers keep cards and payments in it. */
  readonly state: ChatState;
  /** Resolves once the inbox is read up to where it stood at sign-in (at once without `sync`). */
  readonly synced: Promise<void>;
  /** Listens until the returned function is called. */
  on(listener: ChatListener): () => void;
  /**
   * Signs `body` for `to` and hands it to the hub; resolves once the hub has stored it. `id` makes a retry
   * safe: a message queued while offline keeps its id, and the hub refuses a second copy (`REPLAYED`).
   */
  send(to: ConversationTargetInput, body: BodyInput, options?: SendOptions): Promise<SentMessage>;
  /**
   * Sends one frame of the wire protocol and resolves with the hub's answer (rejects on an `error` one):
   * what `registerUsername`, `lookupUser`, `createGroup`, `listGroups` and `readChatHistory` are made of.
   */
  request(frame: ClientFrameInput): Promise<RawFrame>;
  /** Writes the state and tells the hub how far this client has read (`ack`). */
  saveState(): Promise<void>;
  /** Stops handling inbox entries (newer ones wait for the next sync) once those under way are handled. */
  pause(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to the hub and signs in as `account`. Before anything is signed it checks that the hub asks
 * for a sign-in to the URL this client connected to, for its domain and for the wallet's chain: a hub
 * (or a page relaying one) cannot collect a sign-in meant for another. Then it syncs the inbox from the
 * state's last seq (or, with no state, from what the hub recorded as read), verifying each message.
 *
 * @example
 * const chat = await connectChat({ url: "http://127.0.0.1:8787", account, chainId: 31337, escrow,
 *   state: fileChatStateStore(chatStateFile(home, { chainId: 31337, address: account.address, url })),
 *   webSocket: nodeWebSocket,
 *   onEvent: (event) => { if (event.type === "message") show(event.message); } });
 * await chat.synced;
 * await sendText(chat, { type: "direct", address: bob }, "lunch?");
 */
export async function connectChat(params: ConnectChatParameters): Promise<ChatConnection> {
  const url = chatUrlOf(params.url);
  const { account, chainId, state: store } = params;
  const domain: ChatDomainInfo = { chainId, escrow: getAddress(params.escrow) };
  const syncing = params.sync ?? true;
  const autoSave = params.autoSave ?? true;
  const loaded = await store?.load();
  const state: ChatState = loaded ?? emptyChatState();
  const listeners = createChatListeners(params.onEvent);
  const emit = (event: ChatEvent) => listeners.emit(event);
  // Set once the welcome says where the inbox starts; frames before that are brought again by the sync.
  let inbox: InboxSync | undefined;
  let closing = false;

  const hub = await openHubConnection({
    url,
    chainId,
    account,
    timeoutMs: params.timeoutMs ?? 15_000,
    webSocket: params.webSocket ?? standardWebSocket,
    reconnect: params.reconnect,
    onFrame: (frame) => {
      if (syncing) inbox?.accept(frame);
    },
    onDisconnected: (code, reason) => void emit({ type: "disconnected", code, reason }),
    onReconnected: async () => {
      await emit({ type: "reconnected" });
      if (syncing) await inbox?.sync().catch(() => {});
    },
  });

  const start = loaded?.lastSeq ?? Number(hub.welcome.ackedSeq);
  const saver = createChatStateSaver({
    state,
    store,
    handled: () => inbox?.handled ?? 0,
    ack: async (seq) => {
      if (hub.open) await hub.request({ op: "ack", seq });
    },
  });
  const readEntry = createInboxEvents({ domain, me: account.address, state });
  inbox = createInboxSync({
    start,
    request: (frame) => hub.request(frame),
    handle: async (seq, frame) => emit(await readEntry(seq, frame)),
    onHandled: () => {
      if (autoSave) saver.schedule();
    },
    onSynced: (lastSeq) => emit({ type: "synced", lastSeq }),
  });
  const entries = inbox;
  const synced = syncing ? entries.sync() : Promise.resolve();
  // Awaited by whoever wants it; a failed sync must not be an unhandled rejection meanwhile.
  synced.catch(() => {});

  return {
    url,
    address: account.address,
    get username() {
      return hub.username;
    },
    domain,
    get lastSeq() {
      return entries.handled;
    },
    state,
    synced,
    on: (listener) => listeners.add(listener),
    async send(to, body, options = {}) {
      let envelope: Envelope;
      try {
        envelope = await signEnvelope(
          account,
          { to, body, ...(options.id === undefined ? {} : { id: options.id }) },
          domain,
        );
      } catch (error) {
        if (error instanceof ChatProtocolError) {
          throw new InvalidChatMessageError(error.shortMessage.replace(/^draft\./, ""), { cause: error });
        }
        throw error;
      }
      const sent = await hub.request({ op: "send", envelope });
      return { envelope, seq: Number(sent.seq) };
    },
    request: (frame) => hub.request(frame),
    saveState: () => saver.save(),
    pause: () => entries.pause(),
    async close() {
      if (closing) return;
      closing = true;
      await entries.idle();
      if (autoSave && store !== undefined) await saver.save().catch(() => {});
      await saver.settle();
      await hub.close();
    },
  };
}
