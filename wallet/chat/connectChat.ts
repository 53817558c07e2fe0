// A signed-in chat connection: Sign-In with Ethereum after checking that the hub asks for this URL and
// chain, then the inbox read in seq order, each entry once, whatever the order frames arrive in (a sync
// and live pushes can overlap), every message verified before anyone sees it. What was handled is
// remembered (`ChatStateStore`), so that the next connection syncs exactly what it missed.
import { type Address, getAddress, type Hex, isAddressEqual, type LocalAccount } from "viem";
import type { BodyInput } from "../../protocol/chat/body.ts";
import { type ConversationTargetInput, conversationOf, type Envelope } from "../../protocol/chat/envelope.ts";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import {
  type GroupInfo,
  groupInfoSchema,
  hubFrameSchema,
  type StatusUpdate,
  statusUpdateSchema,
} from "../../protocol/chat/frames.ts";
import { type ChatDomainInfo, signEnvelope } from "../../protocol/chat/sign.ts";
import { type ChatState, type ChatStateStore, emptyChatState, fileChatStateStore, trim } from "./chatState.ts";
import { chatUrlOf } from "./chatUrl.ts";
import { ChatSignInRefusedError, ChatUnavailableError, InvalidChatMessageError } from "./errors.ts";
import { type HubSocket, openHubSocket, type RawFrame } from "./hubSocket.ts";
import { createInbox, type Inbox } from "./inbox.ts";
import { signInToHub } from "./signInToHub.ts";
import { type ChatMessage, isRejected, type RejectedMessage, seenKey, verifyIncoming } from "./verifyIncoming.ts";

/** The key that signs in and signs messages: a viem local account. */
export type ChatAccount = Pick<LocalAccount, "address" | "signMessage" | "signTypedData">;

/** What the inbox delivers, in seq order, each once. */
export type ChatEvent =
  | { type: "message"; seq: number; message: ChatMessage }
  | { type: "rejected"; seq: number; rejection: RejectedMessage }
  | { type: "status"; seq: number; status: StatusUpdate }
  | { type: "group"; seq: number; group: GroupInfo }
  /** The inbox is read up to `lastSeq`: what was missed has been delivered. */
  | { type: "synced"; lastSeq: number }
  | { type: "disconnected"; code: number; reason: string }
  | { type: "reconnected" };

export type ChatListener = (event: ChatEvent) => void | Promise<void>;

export interface ConnectChatParameters {
  /** The node's base URL (`http://127.0.0.1:8787`) or the hub's own `ws(s)://…/v1/chat`. */
  url: string;
  account: ChatAccount;
  /** The wallet's chain: the hub must be on it, and every message is signed for it. */
  chainId: number;
  /** The deployment's MerchantEscrow: chat signatures are bound to it. */
  escrow: Address;
  /** A JSON file for the state (`chatStateFile`); or give `state`. Memory only when neither is given. */
  stateFile?: string | undefined;
  state?: ChatStateStore | undefined;
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

export interface HistoryPage {
  conversation: Hex;
  /** Oldest first; `index` counts the conversation's messages from 1. */
  messages: { index: number; checked: ChatMessage | RejectedMessage }[];
  /** Older messages remain: ask again with `before` = the first index. */
  more: boolean;
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
  /** Signs `body` for `to` and hands it to the hub; resolves once the hub has stored it. */
  send(to: ConversationTargetInput, body: BodyInput): Promise<SentMessage>;
  register(username: string): Promise<{ username: string; address: Address }>;
  lookup(
    query: { username: string } | { address: Address },
  ): Promise<{ username: string | null; address: Address | null }>;
  createGroup(name: string, members: Address[]): Promise<GroupInfo>;
  groups(): Promise<GroupInfo[]>;
  /** A conversation's messages from the hub, each verified (no replay check: history repeats by design). */
  history(to: ConversationTargetInput, options?: { before?: number; limit?: number }): Promise<HistoryPage>;
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
 *   stateFile: chatStateFile(home, { chainId: 31337, address: account.address, url }),
 *   onEvent: (event) => { if (event.type === "message") show(event.message); } });
 * await chat.synced;
 * await chat.send({ type: "direct", address: bob }, { type: "text", text: "lunch?" });
 */
export async function connectChat(params: ConnectChatParameters): Promise<ChatConnection> {
  const url = chatUrlOf(params.url);
  const { account, chainId } = params;
  const domain: ChatDomainInfo = { chainId, escrow: getAddress(params.escrow) };
  const timeoutMs = params.timeoutMs ?? 15_000;
  const syncing = params.sync ?? true;
  const autoSave = params.autoSave ?? true;
  const store = params.state ?? (params.stateFile === undefined ? undefined : fileChatStateStore(params.stateFile));
  const loaded = await store?.load();
  const state: ChatState = loaded ?? emptyChatState();
  const seen = new Set(state.seen);
  const listeners = new Set<ChatListener>();
  if (params.onEvent) listeners.add(params.onEvent);

  let socket: HubSocket;
  let username: string | null = null;
  let live = false;
  let syncRunning = false;
  let initialSyncDone = false;
  let closing = false;
  let paused = false;
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  // Set once the welcome says where to start.
  let inbox: Inbox | undefined;

  async function emit(event: ChatEvent) {
    for (const listener of [...listeners]) {
      try {
        await listener(event);
      } catch {
        // A listener's failure is its own; the inbox goes on.
      }
    }
  }

  async function handle(seq: number, frame: RawFrame) {
    if (frame.type === "message") {
      const checked = await verifyIncoming(frame.envelope, { domain, me: account.address, seen });
      if (isRejected(checked)) return emit({ type: "rejected", seq, rejection: checked });
      const key = seenKey(checked.envelope);
      seen.add(key);
      state.seen.push(key);
      return emit({ type: "message", seq, message: checked });
    }
    if (frame.type === "status") {
      const parsed = statusUpdateSchema.safeParse(frame.status);
      if (parsed.success) return emit({ type: "status", seq, status: parsed.data });
      return emit({ type: "rejected", seq, rejection: malformed("a status the hub sent is malformed") });
    }
    const parsed = groupInfoSchema.safeParse(frame.group);
    if (!parsed.success) {
      return emit({ type: "rejected", seq, rejection: malformed("a group the hub sent is malformed") });
    }
    const group = parsed.data;
    if (group.members.some((member) => isAddressEqual(member, account.address))) {
      state.groups = [
        ...state.groups.filter((known) => known.id !== group.id),
        { id: group.id, name: group.name, members: group.members },
      ];
    }
    return emit({ type: "group", seq, group });
  }

  function onFrame(frame: RawFrame) {
    if (!syncing || paused || inbox === undefined) return;
    if (!inbox.accept(frame)) return;
    // A push past a gap: the hub skips nothing on purpose, so read the inbox again from where we are.
    if (inbox.waiting > 0 && !syncRunning && initialSyncDone) void syncFrom(inbox.taken).catch(() => {});
  }

  function scheduleSave() {
    if (saveTimer !== undefined || store === undefined) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      void saveState().catch(() => {});
    }, 50);
  }

  /** Reads the inbox after `after` until the hub says it is at its end, then reports `synced`. */
  async function syncFrom(after: number) {
    const entries = inbox as Inbox;
    syncRunning = true;
    try {
      let from = after;
      for (let gapRounds = 0; ; ) {
        const synced = await socket.request({ op: "sync", after: from });
        const lastSeq = Number(synced.lastSeq);
        if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) break;
        // More to read, from further on (a hub that says "more" without moving on is not followed).
        if (synced.more === true && lastSeq > from) {
          from = lastSeq;
          continue;
        }
        // The hub's inbox ends below what this client had handled (it lost data, or this state is from
        // another hub at the same address): the hub's word is all there is; go on from there.
        if (lastSeq < entries.taken && entries.waiting === 0) entries.rewind(lastSeq);
        if (entries.waiting === 0 || ++gapRounds > 3) break;
        from = entries.taken;
      }
      entries.dropWaiting();
    } finally {
      syncRunning = false;
    }
    await entries.idle();
    await emit({ type: "synced", lastSeq: entries.handled });
  }

  async function open() {
    socket = await openHubSocket({ url, timeoutMs, onFrame, onClose });
    try {
      const welcome = await signInToHub(socket, { url, chainId, account });
      username = welcome.username;
      live = true;
      return welcome;
    } catch (error) {
      await socket.close();
      throw error;
    }
  }

  function onClose(code: number, reason: string) {
    if (closing || !live) return;
    live = false;
    void emit({ type: "disconnected", code, reason });
    if (params.reconnect) void reconnect();
  }

  async function reconnect() {
    for (let wait = 250; !closing; wait = Math.min(wait * 2, 5_000)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (closing) return;
      try {
        await open();
      } catch (error) {
        // A hub that now asks for a sign-in elsewhere is not tried again.
        if (error instanceof ChatSignInRefusedError) return;
        continue;
      }
      await emit({ type: "reconnected" });
      if (syncing && inbox !== undefined) await syncFrom(inbox.taken).catch(() => {});
      return;
    }
  }

  async function saveState() {
    if (saveTimer !== undefined) {
      clearTimeout(saveTimer);
      saveTimer = undefined;
    }
    const handled = inbox?.handled ?? 0;
    // A failed save does not stop the next one.
    saving = saving
      .catch(() => {})
      .then(async () => {
        state.lastSeq = handled;
        Object.assign(state, trim(state));
        await store?.save(state);
        if (handled > 0 && socket.open) await socket.request({ op: "ack", seq: handled }).catch(() => {});
      });
    return saving;
  }

  const welcome = await open();
  const after = loaded !== undefined ? loaded.lastSeq : Number(welcome.ackedSeq);
  inbox = createInbox({ start: after, handle, onHandled: () => autoSave && scheduleSave() });
  const synced = syncing ? syncFrom(after) : Promise.resolve();
  synced.then(
    () => {
      initialSyncDone = true;
    },
    () => {},
  );

  const connection: ChatConnection = {
    url,
    address: account.address,
    get username() {
      return username;
    },
    domain,
    get lastSeq() {
      return inbox?.handled ?? after;
    },
    state,
    synced,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async send(to, body) {
      let envelope: Envelope;
      try {
        envelope = await signEnvelope(account, { to, body }, domain);
      } catch (error) {
        if (error instanceof ChatProtocolError) {
          throw new InvalidChatMessageError(error.shortMessage.replace(/^draft\./, ""), { cause: error });
        }
        throw error;
      }
      const sent = await socket.request({ op: "send", envelope });
      return { envelope, seq: Number(sent.seq) };
    },
    async register(name) {
      const answer = parseAnswer(await socket.request({ op: "register", username: name }), "user");
      return { username: answer.username as string, address: answer.address as Address };
    },
    async lookup(query) {
      const answer = parseAnswer(await socket.request({ op: "lookup", ...query }), "user");
      return { username: answer.username, address: answer.address };
    },
    async createGroup(name, members) {
      const answer = parseAnswer(await socket.request({ op: "group.create", name, members }), "created");
      return answer.group;
    },
    async groups() {
      return parseAnswer(await socket.request({ op: "groups" }), "groups").groups;
    },
    async history(to, options = {}) {
      const expected = conversationOf(account.address, parseTarget(to));
      const page = await socket.request({ op: "history", conversation: to, ...options });
      if (page.type !== "history" || !Array.isArray(page.messages)) {
        throw new ChatUnavailableError("the chat hub answered a history request with something else");
      }
      const messages: HistoryPage["messages"] = [];
      for (const item of page.messages as { index?: unknown; envelope?: unknown }[]) {
        let checked = await verifyIncoming(item?.envelope, { domain, me: account.address });
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
    },
    saveState,
    async pause() {
      paused = true;
      inbox?.dropWaiting();
      await inbox?.idle();
    },
    async close() {
      if (closing) return;
      closing = true;
      await inbox?.idle();
      if (autoSave && store !== undefined) await saveState().catch(() => {});
      if (saveTimer !== undefined) clearTimeout(saveTimer);
      await saving.catch(() => {});
      await socket.close();
    },
  };
  return connection;
}

function parseAnswer<Type extends "user" | "created" | "groups">(frame: RawFrame, type: Type) {
  const parsed = hubFrameSchema.safeParse(frame);
  if (!parsed.success || parsed.data.type !== type) {
    throw new ChatUnavailableError(`the chat hub answered with something other than "${type}"`, {
      details: JSON.stringify(frame).slice(0, 200),
    });
  }
  return parsed.data as Extract<ReturnType<typeof hubFrameSchema.parse>, { type: Type }>;
}

function parseTarget(to: ConversationTargetInput) {
  return to.type === "group"
    ? { type: "group" as const, id: to.id.toLowerCase() as Hex }
    : { type: "direct" as const, address: getAddress(to.address) };
}

function malformed(reason: string): RejectedMessage {
  return { id: undefined, from: undefined, code: "MALFORMED", reason };
}
