// The node's API served for real: a Hardhat chain on loopback, the indexer into a LevelDB in a temp
// folder, and the fastify server on 127.0.0.1 with a free port.
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { WebSocket } from "ws";
import { type CreateApiServerParameters, createApiServer } from "../../../node/api/create-api-server.ts";
import { readTokenInfo } from "../../../node/api/tokens.ts";
import { createIndexer, type Indexer } from "../../../node/indexer/create-indexer.ts";
import { createIndexerEvents } from "../../../node/internal/indexer-events.ts";
import type { Store } from "../../../node/store/open-store.ts";
import { type TestChain, tempStores } from "../chain.ts";

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

export async function serve(
  chain: TestChain,
  options: { finality?: number; pollingIntervalMs?: number } & Partial<
    Pick<CreateApiServerParameters, "plugins" | "rateLimit" | "bodyLimit" | "confirmations">
  > = {},
): Promise<Served> {
  const stores = tempStores();
  const { store } = await stores.open();
  const events = createIndexerEvents();
  const indexer = createIndexer({
    client: chain.client,
    store,
    contracts: { gramToken: chain.token, escrow: chain.escrow },
    fromBlock: chain.deployBlock,
    finality: options.finality ?? 5,
    pollingIntervalMs: options.pollingIntervalMs ?? 10,
    hooks: events.hooks,
  });
  const tokens = await readTokenInfo(chain.client, [chain.token]);
  const app = await createApiServer({
    store,
    indexer,
    events,
    chainId: chain.chainId,
    contracts: { tokens, escrow: chain.escrow },
    fromBlock: chain.deployBlock,
    confirmations: options.confirmations ?? 3,
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
      await store.close();
      await stores.cleanup();
    },
  };
}

/** GET `path` and parse the JSON body. */
// biome-ignore lint/suspicious/noExplicitAny: tests read fields of the answers and assert on them.
export async function get(served: Served, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(served.url + path);
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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
