// The chat hub served for real: mounted as a plugin on the node's own API server (a real LevelDB for the
// store, no chain: the indexer is a stub that reports idle), on 127.0.0.1 with a free port, its own
// LevelDB in a temp folder; and a `ws` client that signs in with a viem account.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { PrivateKeyAccount } from "viem/accounts";
import { WebSocket } from "ws";
import { createApiServer } from "../../../node/api/create-api-server.ts";
import { type ChatHub, createChatHub } from "../../../node/hub/create-chat-hub.ts";
import type { HubLimits } from "../../../node/hub/limits.ts";
import { IDLE_STATUS } from "../../../node/indexer/create-indexer.ts";
import type { IndexerEvents } from "../../../node/internal/indexer-events.ts";
import { openStore, type Store } from "../../../node/store/open-store.ts";
import { type EnvelopeDraft, signEnvelope } from "../../../protocol/chat/sign.ts";
import { checkSignInChallenge, createChatSignIn } from "../../../protocol/chat/siwe.ts";
import { CHAIN_ID, ESCROW } from "../../protocol/links/helpers.ts";

export const DOMAIN = { chainId: CHAIN_ID, escrow: ESCROW };

export interface HubOptions {
  limits?: Partial<HubLimits>;
  events?: IndexerEvents;
  store?: Store;
  /** Added to the hub's clock, in ms; may be changed while it runs. */
  clock?: { offsetMs: number };
  /** Reuse a data folder (a restart). */
  dataDir?: string;
}

export interface ServedHub {
  app: FastifyInstance;
  hub: ChatHub;
  wsUrl: string;
  dataDir: string;
  /** Stops the server and the hub; the data folder stays until `cleanup`. */
  stop(): Promise<void>;
  /** `stop`, then removes the folders. */
  close(): Promise<void>;
}

export async function serveHub(options: HubOptions = {}): Promise<ServedHub> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "gram-hub-")));
  const storeDir = await mkdtemp(join(tmpdir(), "gram-hub-store-"));
  const store = await openStore({ path: storeDir });
  let port = 0;
  const clock = options.clock ?? { offsetMs: 0 };
  const hub = await createChatHub({
    dataDir,
    chainId: DOMAIN.chainId,
    escrow: DOMAIN.escrow,
    signIn: () => ({ domain: `127.0.0.1:${port}`, uri: `ws://127.0.0.1:${port}/v1/chat` }),
    now: () => Date.now() + clock.offsetMs,
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const app = await createApiServer({
    store,
    indexer: { status: () => IDLE_STATUS },
    chainId: DOMAIN.chainId,
    contracts: { tokens: [], escrow: DOMAIN.escrow },
    confirmations: 1,
    plugins: [hub.plugin],
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await app.close();
      await hub.close();
      await store.close();
      await rm(storeDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return {
    app,
    hub,
    wsUrl: `ws://127.0.0.1:${port}/v1/chat`,
    dataDir,
    stop,
    async close() {
      await stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = "a condition") {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A frame as tests read it: any field, asserted on. Parse with `parseHubFrame` where the shape is the point. */
// biome-ignore lint/suspicious/noExplicitAny: tests read fields of frames and assert on them.
export type AnyFrame = any;

let refs = 0;

/**
 * A `/v1/chat` client that keeps every frame it receives. `localAddress` connects from another loopback
 * address (127.0.0.2, …: Linux routes all of 127/8 to the loopback interface), as another IP would.
 */
export async function chatClient(served: { wsUrl: string }, { localAddress }: { localAddress?: string } = {}) {
  const socket = new WebSocket(served.wsUrl, localAddress === undefined ? {} : { localAddress });
  const frames: AnyFrame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let account: PrivateKeyAccount | undefined;
  const client = {
    socket,
    frames,
    closed,
    /** Sends a frame (an object is JSON-encoded; a string or buffer goes as it is). */
    send(frame: unknown) {
      socket.send(typeof frame === "string" || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
    },
    /** Waits for the first frame after the `from` first ones that matches. */
    async next(match: (frame: AnyFrame) => boolean, from = 0, timeoutMs = 10_000): Promise<AnyFrame> {
      let found: AnyFrame | undefined;
      await waitFor(
        () => {
          found = frames.slice(from).find(match);
          return found !== undefined;
        },
        timeoutMs,
        "a frame",
      );
      return found as AnyFrame;
    },
    /** Sends `frame` with a fresh `ref` and waits for the answer that carries it. */
    async request(frame: Record<string, unknown>): Promise<AnyFrame> {
      const ref = `r${++refs}`;
      client.send({ ...frame, ref });
      return client.next((answer) => answer.ref === ref);
    },
    async signIn(signer: PrivateKeyAccount, tamper: (message: string) => string = (message) => message) {
      const challenge = await client.request({ op: "challenge" });
      // What a real client does before it signs: the hub must name the URL it connected to.
      checkSignInChallenge(challenge, { url: served.wsUrl, chainId: DOMAIN.chainId });
      const message = tamper(createChatSignIn({ address: signer.address, challenge }));
      account = signer;
      return client.request({ op: "signin", message, signature: await signer.signMessage({ message }) });
    },
    /** Signs a draft as the signed-in account and sends it; resolves to the hub's answer. */
    async say(draft: EnvelopeDraft, signer = account) {
      if (signer === undefined) throw new Error("sign in first");
      const envelope = await signEnvelope(signer, draft, DOMAIN);
      return { envelope, answer: await client.request({ op: "send", envelope }) };
    },
    /** Frames of one type, in the order they came. */
    of(type: string) {
      return frames.filter((frame) => frame.type === type);
    },
    close() {
      socket.close();
      return closed;
    },
  };
  return client;
}

export type ChatClient = Awaited<ReturnType<typeof chatClient>>;

/** A client already signed in as `account`. */
export async function signedIn(
  served: { wsUrl: string },
  account: PrivateKeyAccount,
  options: { localAddress?: string } = {},
): Promise<ChatClient> {
  const client = await chatClient(served, options);
  const welcome = await client.signIn(account);
  if (welcome.type !== "welcome") throw new Error(`sign-in failed: ${JSON.stringify(welcome)}`);
  return client;
}
