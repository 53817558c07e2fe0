// The chat hub served for real, in this process: mounted as a plugin on the node's own API server, on
// 127.0.0.1 with a free port, its own LevelDB in a temp folder. Without a chain, the API's indexer is a stub
// that reports idle; with one, the hub runs on the node's indexer and store following it (./serve-node.ts),
// so that payment statuses are pushed as the chain moves, as gram-node serves it.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createApiServer } from "../../node/api/create-api-server.ts";
import { type ChatHub, createChatHub } from "../../node/hub/create-chat-hub.ts";
import type { HubLimits } from "../../node/hub/limits.ts";
import { IDLE_STATUS } from "../../node/indexer/create-indexer.ts";
import { createIndexerEvents, type IndexerEvents } from "../../node/internal/indexer-events.ts";
import type { Store } from "../../node/store/open-store.ts";
import { DOMAIN } from "./constants.ts";
import type { DeployedChain } from "./deployed-chain.ts";
import { type Served, serve } from "./serve-node.ts";
import { tempStores } from "./store.ts";

export { DOMAIN };

export interface HubOptions {
  /**
   * The chain to follow: the hub then reads invoices from the node's store and pushes statuses from its
   * indexer, and signs in for this chain and escrow. Without one, DOMAIN's, and an idle stub indexer.
   */
  chain?: Pick<DeployedChain, "client" | "chainId" | "token" | "escrow" | "deployBlock">;
  limits?: Partial<HubLimits>;
  events?: IndexerEvents;
  /** The store the hub reads invoices from (without a chain: none unless given). */
  store?: Store;
  /** Added to the hub's clock, in ms; may be changed while it runs. */
  clock?: { offsetMs: number };
  /** Reuse a data folder (a restart). */
  dataDir?: string;
  /** The host:port sign-ins must name, when clients reach the hub through a proxy; its own by default. */
  signInHost?: () => string;
}

export interface ServedHub {
  app: FastifyInstance;
  hub: ChatHub;
  /** http://127.0.0.1:port; its WebSocket is wsUrl. */
  url: string;
  port: number;
  wsUrl: string;
  dataDir: string;
  /** Stops the server, the indexer (with a chain) and the hub; the data folder stays until `close`. */
  stop(): Promise<void>;
  /** `stop`, then removes the folders. */
  close(): Promise<void>;
}

/**
 * A chat hub on the node's API server, listening on 127.0.0.1 with a free port.
 *
 * @example
 * const served = await serveHub({ limits: { maxConnectionsPerIp: 2 } });
 * const client = await signedIn(served, alice);
 */
export async function serveHub(options: HubOptions = {}): Promise<ServedHub> {
  const { chain } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "gram-hub-")));
  const stores = tempStores();
  const { store: nodeStore } = await stores.open();
  let port = 0;
  const clock = options.clock ?? { offsetMs: 0 };
  const events = options.events ?? (chain === undefined ? undefined : createIndexerEvents());
  const hubStore = options.store ?? (chain === undefined ? undefined : nodeStore);
  const hub = await createChatHub({
    dataDir,
    chainId: chain?.chainId ?? DOMAIN.chainId,
    escrow: chain?.escrow ?? DOMAIN.escrow,
    signIn: () => {
      const host = options.signInHost?.() ?? `127.0.0.1:${port}`;
      return { domain: host, uri: `ws://${host}/v1/chat` };
    },
    now: () => Date.now() + clock.offsetMs,
    ...(events === undefined ? {} : { events }),
    ...(hubStore === undefined ? {} : { store: hubStore }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  let served: Served | undefined;
  let app: FastifyInstance;
  if (chain === undefined) {
    app = await createApiServer({
      store: nodeStore,
      indexer: { status: () => IDLE_STATUS },
      chainId: DOMAIN.chainId,
      contracts: { tokens: [], escrow: DOMAIN.escrow },
      confirmations: 1,
      plugins: [hub.plugin],
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
  } else {
    // As gram-node serves it: one store and one indexer for the API and the hub.
    served = await serve(chain, {
      store: nodeStore,
      ...(events === undefined ? {} : { events }),
      plugins: [hub.plugin],
      tokens: [],
      confirmations: 1,
      finality: 5,
      pollingIntervalMs: 20,
    });
    served.follow();
    app = served.app;
  }
  port = (app.server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      // The store stays open until the hub, which reads it, has closed.
      if (served === undefined) await app.close();
      else await served.close().catch(() => {});
      await hub.close();
      await nodeStore.close();
      await stores.cleanup();
    })();
    return stopped;
  };
  return {
    app,
    hub,
    url: `http://127.0.0.1:${port}`,
    port,
    wsUrl: `ws://127.0.0.1:${port}/v1/chat`,
    dataDir,
    stop,
    async close() {
      await stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
