// The node's API served for real, in this process: the indexer into a LevelDB in a temp folder and the
// fastify server on 127.0.0.1 with a free port, over a test chain; and a client of its `/v1/stream`.
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { WebSocket } from "ws";
import type { Indexer } from "../../node/indexer/create-indexer.ts";
import type { Store } from "../../node/store/open-store.ts";
import { type ComposeNodeParameters, composeNode } from "../../scripts/lib/compose-node.ts";
import { waitFor } from "../../scripts/lib/wait-for.ts";
import type { DeployedChain } from "./deployed-chain.ts";
import { getJson } from "./http.ts";
import { tempStores } from "./store.ts";

export interface Served {
  app: FastifyInstance;
  url: string;
  wsUrl: string;
  store: Store;
  indexer: Indexer;
  /** Runs the indexer in realtime until `close`. */
  follow(): void;
  close(): Promise<void>;
}

export interface ServeOptions
  extends Partial<
    Pick<ComposeNodeParameters, "plugins" | "rateLimit" | "bodyLimit" | "confirmations" | "events" | "tokens">
  > {
  finality?: number;
  pollingIntervalMs?: number;
  /** The node's store; a fresh one in a temp folder (removed by `close`) unless given. */
  store?: Store;
}

/**
 * The node's indexer and API (scripts/lib/compose-node.ts) over `chain`, listening on 127.0.0.1 with a
 * free port; the indexer runs once `follow` is called.
 */
export async function serve(
  chain: Pick<DeployedChain, "client" | "chainId" | "token" | "escrow" | "deployBlock">,
  options: ServeOptions = {},
): Promise<Served> {
  const stores = tempStores();
  const store = options.store ?? (await stores.open()).store;
  const { app, indexer } = await composeNode({
    client: chain.client,
    store,
    chainId: chain.chainId,
    token: chain.token,
    escrow: chain.escrow,
    fromBlock: chain.deployBlock,
    finality: options.finality ?? 5,
    pollingIntervalMs: options.pollingIntervalMs ?? 10,
    confirmations: options.confirmations ?? 3,
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.tokens === undefined ? {} : { tokens: options.tokens }),
    ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const controller = new AbortController();
  let running: Promise<void> | undefined;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/stream`,
    store,
    indexer,
    follow() {
      running ??= indexer.run(controller.signal);
    },
    async close() {
      controller.abort();
      await running;
      await app.close();
      if (options.store === undefined) await store.close();
      await stores.cleanup();
    },
  };
}

/** GET `path` and parse the JSON body. */
export const get = (served: Served, path: string) => getJson(served.url + path);

/** A `/v1/stream` client that keeps every message it receives. */
export async function streamClient(served: Served) {
  const socket = new WebSocket(served.wsUrl);
  // biome-ignore lint/suspicious/noExplicitAny: messages are asserted on field by field.
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
    /** Waits for the first message after the `seen` first ones that satisfies `match`. */
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    async next(match: (message: any) => boolean, seen = 0, timeoutMs = 10_000) {
      let found: unknown;
      await waitFor(() => {
        found = messages.slice(seen).find(match);
        return found !== undefined;
      }, timeoutMs);
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      return found as any;
    },
    close: () => socket.close(),
  };
}
