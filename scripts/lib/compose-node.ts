// The node's indexer and API composed in this process, as gram-node composes them (node/cli/start-node.ts)
// without its flags, logs and shutdown: the indexer's hooks fanned out to the API's stream, cache and
// metrics, the tokens described from the chain. The node benchmark's child and the tests' in-process node
// and hub are built on it; the caller listens, runs the indexer and closes what it opened.
import type { FastifyInstance } from "fastify";
import type { Address, PublicClient } from "viem";
import { type CreateApiServerParameters, createApiServer } from "../../node/api/create-api-server.ts";
import { readTokenInfo, type TokenInfo } from "../../node/api/tokens.ts";
import { type CreateIndexerParameters, createIndexer, type Indexer } from "../../node/indexer/create-indexer.ts";
import { createIndexerEvents, type IndexerEvents } from "../../node/internal/indexer-events.ts";
import type { Store } from "../../node/store/open-store.ts";

export interface ComposeNodeParameters
  extends Pick<CreateIndexerParameters, "finality" | "pollingIntervalMs" | "ranges">,
    Partial<Pick<CreateApiServerParameters, "plugins" | "rateLimit" | "bodyLimit">> {
  client: PublicClient;
  store: Store;
  chainId: number;
  token: Address;
  escrow: Address;
  /** The contracts' deploy block: where the indexer starts. */
  fromBlock: number;
  confirmations: number;
  /** The indexer's hooks fanned out; new ones unless given (a hub listens to the same). */
  events?: IndexerEvents;
  /** The tokens the API describes; read from the chain (GramToken's) unless given. */
  tokens?: readonly TokenInfo[];
}

export interface ComposedNode {
  app: FastifyInstance;
  indexer: Indexer;
  events: IndexerEvents;
}

/**
 * An indexer over `store` and the API server in front of it, not yet listening or running.
 *
 * @example
 * const { app, indexer } = await composeNode({ client, store, chainId, token, escrow, fromBlock, finality: 5, confirmations: 3 });
 * await app.listen({ host: "127.0.0.1", port: 0 });
 * void indexer.run(signal);
 */
export async function composeNode(params: ComposeNodeParameters): Promise<ComposedNode> {
  const events = params.events ?? createIndexerEvents();
  const indexer = createIndexer({
    client: params.client,
    store: params.store,
    contracts: { gramToken: params.token, escrow: params.escrow },
    fromBlock: params.fromBlock,
    finality: params.finality,
    ...(params.pollingIntervalMs === undefined ? {} : { pollingIntervalMs: params.pollingIntervalMs }),
    ...(params.ranges === undefined ? {} : { ranges: params.ranges }),
    hooks: events.hooks,
  });
  const tokens = params.tokens ?? (await readTokenInfo(params.client, [params.token]));
  const app = await createApiServer({
    store: params.store,
    indexer,
    events,
    chainId: params.chainId,
    contracts: { tokens, escrow: params.escrow },
    fromBlock: params.fromBlock,
    confirmations: params.confirmations,
    ...(params.plugins === undefined ? {} : { plugins: params.plugins }),
    ...(params.rateLimit === undefined ? {} : { rateLimit: params.rateLimit }),
    ...(params.bodyLimit === undefined ? {} : { bodyLimit: params.bodyLimit }),
  });
  return { app, indexer, events };
}
