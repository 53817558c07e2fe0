import type { FastifyInstance } from "fastify";
import type { StatusResponse } from "../../../protocol/api.ts";
import { readEventCount } from "../../store/read-state.ts";
import type { ApiContext } from "../context.ts";
import { ApiError } from "../errors.ts";

/** Behind the head by more than this many blocks (in realtime) counts as syncing. */
const SYNCED_LAG = 2;

/** `GET /v1/status`, `GET /healthz` and `GET /metrics`. */
export function statusRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get("/v1/status", async (): Promise<StatusResponse> => {
    const status = ctx.indexer.status();
    const indexed = status.cursor !== undefined && status.cursor.number >= 0 ? status.cursor : undefined;
    const lag = status.head === undefined || indexed === undefined ? null : Math.max(0, status.head - indexed.number);
    const done = (indexed?.number ?? ctx.fromBlock - 1) - ctx.fromBlock + 1;
    const todo = status.head === undefined ? 0 : status.head - ctx.fromBlock + 1;
    return {
      chainId: ctx.chainId,
      phase: status.phase,
      head: status.head ?? null,
      indexedBlock: indexed?.number ?? null,
      indexedHash: indexed?.hash ?? null,
      // On a chain younger than --finality blocks only genesis is final.
      finalizedBlock: status.finalized === undefined ? null : Math.max(0, status.finalized),
      lag,
      syncing: status.phase === "idle" || status.phase === "backfill" || lag === null || lag > SYNCED_LAG,
      progress: todo <= 0 ? (status.head === undefined ? 0 : 1) : Math.min(1, Math.max(0, done / todo)),
      eventsIndexed: await readEventCount(ctx.store),
      confirmations: ctx.confirmations,
    };
  });

  app.get("/healthz", async () => {
    const { phase } = ctx.indexer.status();
    if (ctx.store.db.status !== "open") throw new ApiError("UNAVAILABLE", "the store is not open");
    if (phase === "failed" || phase === "stopped") throw new ApiError("UNAVAILABLE", `the indexer has ${phase}`);
    return { ok: true, phase };
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
