import websocket from "@fastify/websocket";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  LogController,
} from "fastify";
import type { Registry } from "prom-client";
import type { Address } from "viem";
import { STREAM_LIMITS } from "../../protocol/api.ts";
import { ROUTES } from "../../protocol/routes.ts";
import type { IndexerStatus } from "../indexer/create-indexer.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import { type Log, silentLog } from "../internal/logger.ts";
import type { Store } from "../store/open-store.ts";
import { PendingChanges } from "../store/read-balances.ts";
import { ResponseCache } from "./balance-cache.ts";
import { registerCheckedGate } from "./checked-gate.ts";
import type { ApiContext } from "./context.ts";
import { ApiError, answerClientError, errorReply } from "./errors.ts";
import { createApiMetrics } from "./metrics.ts";
import { registerRateLimit } from "./rate-limit.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { invoiceRoutes } from "./routes/invoices.ts";
import { statusRoutes } from "./routes/status.ts";
import { createStreamHub } from "./stream.ts";
import type { TokenInfo } from "./tokens.ts";

export interface CreateApiServerParameters {
  store: Store;
  /** The indexer, for its status: head, cursor, phase. */
  indexer: { status(): IndexerStatus };
  /** The indexer's hooks, fanned out (`createIndexerEvents`): the stream, the response cache and metrics listen here. */
  events?: IndexerEvents;
  chainId: number;
  contracts: {
    /** Every token the indexer tracks, with symbol and decimals read once (`readTokenInfo`). */
    tokens: readonly TokenInfo[];
    escrow?: Address;
  };
  /** The contracts' deploy block: where `progress` counts from. */
  fromBlock?: number;
  /** Entries this deep (1 = in the head block) are `confirmed`. */
  confirmations: number;
  /** A pino logger; silent when omitted. Requests are not logged one by one, failures are. */
  log?: FastifyBaseLogger;
  /** More routes: the relayer's `POST /v1/relay/*`. Registered after the API's, under its error handling and rate limit. */
  plugins?: readonly FastifyPluginAsync[];
  /** Requests per IP per window; `false` turns the limit off. Generous by default: a benchmark is not throttled. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** The largest request body, in bytes. */
  bodyLimit?: number;
  /** A Prometheus registry to add the API's metrics to (the node's own, with its RPC error counter). */
  registry?: Registry;
}

/** The longest path segment routed (an address or id is far shorter). */
const MAX_PARAM_LENGTH = 1_000;
const DEFAULT_RATE_LIMIT = { max: 1_000_000, timeWindowMs: 60_000 };

/**
 * The node's HTTP/WebSocket API over the store: status, balances, history, invoices, merchants, a
 * stream of indexed events, metrics and health. Answers come from LevelDB (and a response cache the
 * indexer's batches invalidate), never from the chain. Call `listen` on the result.
 *
 * @example
 * const events = createIndexerEvents();
 * const indexer = createIndexer({ client, store, contracts, fromBlock, finality: 12, hooks: events.hooks });
 * const tokens = await readTokenInfo(client, [gramToken]);
 * const app = await createApiServer({ store, indexer, events, chainId, contracts: { tokens }, confirmations: 12 });
 * await app.listen({ host: "127.0.0.1", port: 8545 });
 */
export async function createApiServer(params: CreateApiServerParameters): Promise<FastifyInstance> {
  const { store, indexer, events, chainId, confirmations } = params;
  const app = Fastify({
    ...(params.log === undefined ? {} : { loggerInstance: params.log }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: params.bodyLimit ?? 64 * 1024,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    return503OnClosing: true,
    // Node answers a request without Host with an empty 400 of its own; the hook below answers it in JSON.
    http: { requireHostHeader: false },
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply) => {
      // A bad or over-long path is quoted in the message: at most 200 characters of it.
      const message = error.message
        .replace(/^'(.{200}).+'/s, "'$1…'")
        .replace(
          / is exceeding the max param length$/,
          ` has a segment over ${MAX_PARAM_LENGTH} characters, the most allowed`,
        );
      const { statusCode, body } = errorReply(new ApiError("BAD_REQUEST", message));
      (reply as unknown as FastifyReply).code(statusCode).send(body);
    },
  }) as unknown as FastifyInstance;
  const log: Log = params.log ?? silentLog;

  const metrics = createApiMetrics({ store, indexer, events, registry: params.registry });
  const accountCache = events === undefined ? undefined : new ResponseCache();
  const stopCache = events?.listen({
    onBatch: () => accountCache?.invalidate(),
    onReorg: () => accountCache?.invalidate(),
  });
  const tokens = params.contracts.tokens;
  const ctx: ApiContext = {
    store,
    indexer,
    chainId,
    fromBlock: params.fromBlock ?? 0,
    tokens,
    tokenAddresses: tokens.map((token) => token.address),
    tokenMap: new Map(tokens.map((token) => [token.address.toLowerCase(), token])),
    confirmations,
    depth() {
      const status = indexer.status();
      return { head: status.head ?? status.cursor?.number ?? 0, required: confirmations };
    },
    confirmedBlock() {
      return ctx.depth().head - confirmations + 1;
    },
    pending: new PendingChanges(),
    accountCache,
    metrics,
  };
  const hub = createStreamHub({ store, events, depth: ctx.depth, metrics, log });

  // JSON only: a text body is refused (415) rather than handed to a route as a string.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, body } = errorReply(error);
    if (statusCode >= 500) request.log.error({ err: error, url: request.url }, "request failed");
    return reply.code(statusCode).send(body);
  });
  // HTTP/1.1 requires Host (RFC 9112 §3.2); an HTTP/1.0 request may leave it out.
  app.addHook("onRequest", (request, _reply, done) => {
    if (request.headers.host !== undefined || request.raw.httpVersion === "1.0") return done();
    done(new ApiError("BAD_REQUEST", "an HTTP/1.1 request without a Host header; expected Host: <the node's host>"));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url;
    reply.code(404).send(new ApiError("NOT_FOUND", `no route ${request.method} ${path}`).body());
  });
  // One histogram child per method, route and status, found by a string key: cheaper than labelling each time.
  const durations = new Map<string, { observe(seconds: number): void }>();
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = durations.get(key);
    if (child === undefined) {
      child = metrics.requestDuration.labels(request.method, route, String(reply.statusCode));
      durations.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
  app.addHook("onClose", async () => {
    stopCache?.();
    metrics.close();
    await hub.close();
  });

  const limit = params.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (limit !== false) registerRateLimit(app, limit);
  await app.register(websocket, { options: { maxPayload: STREAM_LIMITS.messageBytes } });

  statusRoutes(app, ctx);
  // Indexed data, served once the indexer has checked its stored cursor against the chain.
  await app.register(async (scope) => {
    registerCheckedGate(scope, indexer);
    accountRoutes(scope, ctx);
    invoiceRoutes(scope, ctx);
    scope.get(ROUTES.stream, { websocket: true }, (socket) => hub.connect(socket));
  });
  for (const plugin of params.plugins ?? []) await app.register(plugin);
  return app;
}
