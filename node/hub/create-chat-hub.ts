import { mkdir } from "node:fs/promises";
import type { Duplex } from "node:stream";
import websocket from "@fastify/websocket";
import { ClassicLevel } from "classic-level";
import type { FastifyPluginAsync } from "fastify";
import type { Address } from "viem";
import type { WebSocket } from "ws";
import { ChatProtocolError } from "../../protocol/chat/errors.ts";
import {
  CLIENT_OPS,
  type ClientFrame,
  type ClientFrameOf,
  type ClientOp,
  parseClientFrameValue,
} from "../../protocol/chat/frames.ts";
import { quote } from "../../protocol/errors.ts";
import { ROUTES } from "../../protocol/routes.ts";
import { GramNodeError } from "../errors.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import { type Log, silentLog } from "../internal/logger.ts";
import { createRateLimiter } from "../internal/rate-limiter.ts";
import { createKeyedSerial } from "../internal/serial.ts";
import type { Store } from "../store/open-store.ts";
import { createAdmission } from "./admission.ts";
import type { HubContext, Reply } from "./context.ts";
import { addMembers, createGroup, listGroups } from "./groups.ts";
import { createInboxes } from "./inboxes.ts";
import { knownPrefix, LAYOUT_VERSION, layoutKey, prefixEnd } from "./keys.ts";
import { DEFAULT_HUB_LIMITS, type HubLimits } from "./limits.ts";
import { send } from "./send.ts";
import { createSessions, type Session } from "./sessions.ts";
import { challenge, signIn } from "./sign-in.ts";
import { startStatusPusher } from "./statuses.ts";
import { ack, history, sync } from "./sync.ts";
import { lookup, register } from "./users.ts";
import { createVerifier } from "./verifier.ts";
import { createWriter, type HubDb } from "./writer.ts";

/** The route the hub serves. */
export const CHAT_PATH = ROUTES.chat;

export type CreateChatHubParameters = {
  chainId: number;
  /** The MerchantEscrow of the deployment: every chat signature is bound to it and to `chainId`. */
  escrow: Address;
  /**
   * What sign-in messages must name: the hub's public authority (`127.0.0.1:8545`, `chat.example.org`)
   * and its chat URL (`ws://127.0.0.1:8545/v1/chat`). A function is read at each challenge, for a server
   * whose port is known only once it listens.
   */
  signIn: { domain: string; uri: string } | (() => { domain: string; uri: string });
  /** The indexer's hooks, fanned out: batches and reorgs become `status` pushes. */
  events?: IndexerEvents;
  /** The indexer's store, only read: whose invoice an event names only by its id. */
  store?: Store;
  log?: Log;
  limits?: Partial<HubLimits>;
  /** fsync every batch (survives power loss, not only a killed process). */
  sync?: boolean;
  /** Statuses of this many blocks below the newest can be reverted by a reorg. */
  reorgWindow?: number;
  /** The hub's clock, unix ms. */
  now?: () => number;
} & (
  | { /** A folder of the hub's own (`<data-dir>/hub`); created when missing, closed by `close`. */ dataDir: string }
  | { /** A LevelDB of the hub's own, opened and closed by the caller. */ db: HubDb }
);

export interface ChatHub {
  /** Serves `GET /v1/chat` (WebSocket); registers `@fastify/websocket` unless the app has it already. */
  readonly plugin: FastifyPluginAsync;
  /** Connections open now. */
  connections(): number;
  /** Stops taking frames and statuses, closes every connection, writes what is queued, closes its database. */
  close(): Promise<void>;
}

type Handlers = {
  [Op in ClientOp]: (ctx: HubContext, session: Session, frame: ClientFrameOf<Op>, reply: Reply) => void | Promise<void>;
};
type Handler = (ctx: HubContext, session: Session, frame: ClientFrame, reply: Reply) => void | Promise<void>;
/** What a connection may do before it signs in. */
const PUBLIC_OPS = new Set<ClientOp>(["challenge", "signin", "ping"]);

const HANDLERS: Handlers = {
  challenge,
  signin: signIn,
  register,
  lookup,
  send,
  sync,
  ack,
  history,
  "group.create": createGroup,
  "group.add": addMembers,
  groups: listGroups,
  ping: (_ctx, _session, _frame, reply) => reply({ type: "pong" }),
};

/**
 * The chat hub: a WebSocket endpoint where wallets sign in with Ethereum, pick usernames, and exchange
 * signed messages in direct chats and groups, kept in a LevelDB of its own and delivered to each address's
 * inbox in order, once, whether it is online or not; the indexer's events arrive as `status` frames. It
 * checks every signature and holds no key. The wire protocol is in protocol/chat/frames.ts.
 *
 * @example
 * const hub = await createChatHub({ dataDir: join(dataDir, "hub"), chainId, escrow, events, store, log,
 *   signIn: () => ({ domain: `127.0.0.1:${port}`, uri: `ws://127.0.0.1:${port}/v1/chat` }) });
 * const app = await createApiServer({ ..., plugins: [hub.plugin] });
 * shutdown.add("hub", () => hub.close());
 */
export async function createChatHub(params: CreateChatHubParameters): Promise<ChatHub> {
  const limits: HubLimits = { ...DEFAULT_HUB_LIMITS, ...params.limits };
  const log = params.log ?? silentLog;
  const owned = "dataDir" in params;
  const db: HubDb = owned
    ? new ClassicLevel<string, string>(params.dataDir, { keyEncoding: "utf8", valueEncoding: "utf8" })
    : params.db;
  if (owned) {
    await mkdir(params.dataDir, { recursive: true });
    await db.open();
  }
  try {
    await checkLayout(db);
  } catch (error) {
    if (owned) await db.close();
    throw error;
  }
  const known = new Set(
    (await db.keys({ gte: knownPrefix, lt: prefixEnd(knownPrefix) }).all()).map((key) => key.slice(knownPrefix.length)),
  );

  const inboxes = createInboxes(db);
  const signInOrigin = params.signIn;
  const ctx: HubContext = {
    db,
    chat: { chainId: params.chainId, escrow: params.escrow },
    get signIn() {
      return typeof signInOrigin === "function" ? signInOrigin() : signInOrigin;
    },
    limits,
    log,
    now: params.now ?? Date.now,
    writer: createWriter({
      db,
      sync: params.sync ?? false,
      log,
      onFailure: (error) => {
        log.error({ err: error }, "hub: a write failed; counters are read again from disk");
        inboxes.forget();
      },
    }),
    inboxes,
    sessions: createSessions({ maxBufferedBytes: limits.maxBufferedBytes }),
    admission: createAdmission(limits),
    messageLimiter: createRateLimiter({ perMinute: limits.messagesPerMinute, now: () => ctx.now() }),
    verifier: createVerifier(),
    groups: new Map(),
    known,
    serialize: createKeyedSerial(),
  };
  const frameLimiter = createRateLimiter({ perMinute: limits.framesPerMinute, now: () => ctx.now() });
  const pusher =
    params.events === undefined
      ? undefined
      : await startStatusPusher(ctx, {
          events: params.events,
          store: params.store,
          reorgWindow: params.reorgWindow ?? 256,
        });

  let closing: Promise<void> | undefined;

  function replyTo(session: Session, ref: string | undefined): Reply {
    const reply = (frame: object) => {
      ctx.sessions.send(session, JSON.stringify(ref === undefined ? frame : { ...frame, ref }));
    };
    return Object.assign(reply, { ref });
  }

  async function handle(session: Session, data: Buffer, isBinary: boolean, rateLimitWait: number) {
    let ref: string | undefined;
    try {
      if (isBinary) throw new ChatProtocolError("MALFORMED", "expected a text frame holding JSON, got a binary frame");
      if (data.length > limits.frameBytes) {
        throw new ChatProtocolError("TOO_LARGE", `frame: ${data.length} bytes, at most ${limits.frameBytes} allowed`);
      }
      const text = data.toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ChatProtocolError("MALFORMED", `frame: got ${quote(text)}, expected JSON such as {"op":"ping"}`);
      }
      const given = (json as { ref?: unknown } | null)?.ref;
      if (typeof given === "string" && given.length <= 64) ref = given;
      if (rateLimitWait > 0) {
        throw new ChatProtocolError(
          "RATE_LIMITED",
          `more than ${limits.framesPerMinute} frames a minute on this connection; retry in ${rateLimitWait} s`,
        );
      }
      // Before the fields are read: an envelope is not even parsed for a connection that has not signed in.
      const op = (json as { op?: unknown } | null)?.op;
      if (
        session.address === undefined &&
        typeof op === "string" &&
        CLIENT_OPS.includes(op as ClientOp) &&
        !PUBLIC_OPS.has(op as ClientOp)
      ) {
        throw new ChatProtocolError(
          "NOT_SIGNED_IN",
          `op "${op}" needs a signed-in connection: send {"op":"challenge"}, then {"op":"signin","message":…,"signature":…}`,
        );
      }
      const frame = parseClientFrameValue(json);
      await (HANDLERS[frame.op] as Handler)(ctx, session, frame, replyTo(session, ref));
    } catch (error) {
      if (!(error instanceof ChatProtocolError)) log.error({ err: error }, "hub: a frame failed");
      const { code, shortMessage } =
        error instanceof ChatProtocolError ? error : new ChatProtocolError("INTERNAL", "the hub failed; try again");
      replyTo(session, ref)({ type: "error", code, message: shortMessage });
    }
  }

  function connect(socket: WebSocket, stream: Duplex, ip: string) {
    if (closing !== undefined) return socket.close(1001, "hub shutting down");
    const session = ctx.sessions.open(socket, stream);
    const admitted = ctx.admission.admit(session, ip);
    if (admitted.refused !== undefined) {
      ctx.sessions.remove(session);
      return socket.close(1013, admitted.refused);
    }
    admitted.evict?.socket.close(1013, "too many connections waiting to sign in; sign in sooner");
    const timer = setTimeout(() => {
      if (session.address === undefined) socket.close(1008, `sign in within ${limits.signInTimeoutMs / 1000} s`);
    }, limits.signInTimeoutMs);
    timer.unref();
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (session.pending >= limits.pendingFrames) {
        socket.close(1008, "too many frames waiting to be handled");
        return;
      }
      const wait = frameLimiter.take(`#${session.id}`);
      session.pending += 1;
      session.queue = session.queue
        .then(() => handle(session, data, isBinary, wait))
        .finally(() => {
          session.pending -= 1;
        });
    });
    socket.on("error", () => socket.terminate());
    socket.on("close", () => {
      clearTimeout(timer);
      ctx.admission.remove(session);
      ctx.sessions.remove(session);
    });
  }

  const plugin: FastifyPluginAsync = async (app) => {
    if (!app.hasDecorator("websocketServer")) {
      await app.register(websocket, { options: { maxPayload: limits.frameBytes } });
    }
    app.get(CHAT_PATH, { websocket: true }, (socket, request) => connect(socket, request.raw.socket, request.ip));
    app.addHook("onClose", async () => close());
  };

  function close(): Promise<void> {
    closing ??= (async () => {
      await pusher?.stop();
      const open = [...ctx.sessions.all];
      for (const session of open) session.socket.close(1001, "hub shutting down");
      await Promise.allSettled(open.map((session) => session.queue));
      await ctx.writer.flush();
      await ctx.verifier.close();
      if (owned) await db.close();
    })();
    return closing;
  }

  return { plugin, connections: () => ctx.sessions.all.size, close };
}

async function checkLayout(db: HubDb) {
  const layout = await db.get(layoutKey);
  if (layout === undefined) {
    await db.put(layoutKey, LAYOUT_VERSION);
  } else if (layout !== LAYOUT_VERSION) {
    throw new GramNodeError(`the hub's data folder has layout ${layout}, this node reads layout ${LAYOUT_VERSION}`, {
      code: "HUB_LAYOUT_MISMATCH",
      hint: "Point the hub at another folder, or run the node version that wrote this one.",
    });
  }
}
