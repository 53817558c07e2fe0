import type { FastifyInstance } from "fastify";
import type { StatusResponse } from "../../../protocol/api.ts";
import { ROUTES } from "../../../protocol/routes.ts";
import type { IndexerStatus } from "../../indexer/create-indexer.ts";
import { readEventCount } from "../../store/read-state.ts";
import { CHECKING_CURSOR } from "../checked-gate.ts";
import type { ApiContext } from "../context.ts";
import { ApiError } from "../errors.ts";

/** Behind the head by more than this many blocks (in realtime) counts as syncing. */
const SYNCED_LAG = 2;

/** Milliseconds as seconds, to a tenth. */
const seconds = (ms: number) => Math.max(0, Math.round(ms / 100) / 10);

const lastError = (status: IndexerStatus, now: number) =>
  status.lastRpcError === undefined
    ? ""
    : `; last RPC error ${seconds(now - status.lastRpcError.at)} s ago: ${status.lastRpcError.message}`;

/**
 * `GET /v1/status`, `GET /healthz` and `GET /metrics`. Health is judged by progress, not by errors: a
 * node whose endpoint hangs, or fails every request, stops making progress; `/healthz` answers 503
 * with the reason once it has made none for the indexer's stall window, and 200 again once it does.
 */
export function statusRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(ROUTES.status, async (): Promise<StatusResponse> => {
    const status = ctx.indexer.status();
    const indexed = status.cursor !== undefined && status.cursor.number >= 0 ? status.cursor : undefined;
    const lag = status.head === undefined || indexed === undefined ? null : Math.max(0, status.head - indexed.number);
    const done = (indexed?.number ?? ctx.fromBlock - 1) - ctx.fromBlock + 1;
    const todo = status.head === undefined ? 0 : status.head - ctx.fromBlock + 1;
    const now = Date.now();
    return {
      chainId: ctx.chainId,
      phase: status.phase,
      head: status.head ?? null,
      indexedBlock: indexed?.number ?? null,
      indexedHash: indexed?.hash ?? null,
      // On a chain younger than --finality blocks only genesis is final.
      finalizedBlock: status.finalized === undefined ? null : Math.max(0, status.finalized),
      lag,
      syncing:
        status.phase === "idle" || status.phase === "backfill" || status.stalled || lag === null || lag > SYNCED_LAG,
      headAge: status.headAt === undefined ? null : seconds(now - status.headAt),
      lastRpcError:
        status.lastRpcError === undefined
          ? null
          : { message: status.lastRpcError.message, at: new Date(status.lastRpcError.at).toISOString() },
      stalled: status.stalled,
      progress: todo <= 0 ? (status.head === undefined ? 0 : 1) : Math.min(1, Math.max(0, done / todo)),
      eventsIndexed: await readEventCount(ctx.store),
      confirmations: ctx.confirmations,
    };
  });

  app.get(ROUTES.healthz, async () => {
    const status = ctx.indexer.status();
    const { phase } = status;
    if (ctx.store.db.status !== "open") throw new ApiError("UNAVAILABLE", "the store is not open");
    if (phase === "failed" || phase === "stopped") throw new ApiError("UNAVAILABLE", `the indexer has ${phase}`);
    const now = Date.now();
    if (phase === "idle") throw new ApiError("UNAVAILABLE", `${CHECKING_CURSOR}${lastError(status, now)}`);
    if (status.stalled) {
      const since = status.progressAt === undefined ? "" : ` for ${seconds(now - status.progressAt).toFixed(1)} s`;
      const head = status.headAt === undefined ? "never read" : `last read ${seconds(now - status.headAt)} s ago`;
      throw new ApiError(
        "UNAVAILABLE",
        `stalled: no progress${since} (the limit is ${status.stallAfterMs / 1000} s); the chain's head was ${head}${lastError(status, now)}`,
      );
    }
    return { ok: true, phase };
  });

  app.get(ROUTES.metrics, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
