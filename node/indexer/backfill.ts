import type { RpcLog } from "viem";
import { isRetryable, RangeTooLargeError, RpcError } from "../errors.ts";
import { withRetry } from "../internal/retry.ts";
import type { SyncContext } from "./context.ts";
import { indexBatch } from "./index-batch.ts";
import { fetchConfirmedBlock, fetchLogs, type RemoteBlock } from "./rpc.ts";

interface FetchedRange {
  from: number;
  to: number;
  logs: RpcLog[];
  header: RemoteBlock;
}

/**
 * Indexes the final blocks after the cursor up to `to` with `eth_getLogs` over adaptive ranges, one
 * atomic batch per range and no undo records (final blocks are never rolled back). The next range is
 * fetched while the current one is applied.
 */
export async function backfill(ctx: SyncContext, to: number): Promise<void> {
  const started = performance.now();
  const first = ctx.cursor.number + 1;
  let events = 0;
  let next: Promise<FetchedRange> | undefined = fetchRange(ctx, first, to);
  while (next !== undefined) {
    const range: FetchedRange = await next;
    next = range.to < to ? fetchRange(ctx, range.to + 1, to) : undefined;
    // An abort or failure below leaves the prefetch unawaited; it must not become an unhandled rejection.
    next?.catch(() => {});
    if (ctx.signal.aborted) return;
    const applied = await indexBatch(ctx.store, {
      contracts: ctx.contracts,
      logs: range.logs,
      block: range.header,
      undo: false,
      pruneBelow: range.to - ctx.finality,
    });
    ctx.cursor = { number: range.header.number, hash: range.header.hash };
    events += applied.length;
    ctx.hooks.onBatch?.({ cursor: ctx.cursor, events: applied, final: true });
    const seconds = (performance.now() - started) / 1000;
    ctx.log.info(
      {
        block: range.to,
        target: to,
        progress: Number(((range.to - first + 1) / (to - first + 1)).toFixed(4)),
        events,
        eventsPerSecond: Math.round(events / seconds),
        rangeBlocks: range.to - range.from + 1,
      },
      "backfill",
    );
  }
}

/** Fetches the logs of `from..` (as far as the sizer allows, at most `limit`) and the last block's header. */
async function fetchRange(ctx: SyncContext, from: number, limit: number): Promise<FetchedRange> {
  for (;;) {
    const to = Math.min(limit, from + ctx.sizer.size - 1);
    const started = performance.now();
    try {
      const [logs, header] = await withRetry(
        async () => {
          const [logs, header] = await Promise.all([
            fetchLogs(ctx.client, { addresses: ctx.addresses, fromBlock: from, toBlock: to }),
            // The range's last block becomes the cursor: confirmed by hash, as no log may vouch for it.
            fetchConfirmedBlock(ctx.client, to),
          ]);
          if (header === undefined) throw new RpcError(`the RPC endpoint does not have block ${to}`);
          const mismatch = logs.find(
            (log) => Number(log.blockNumber) === to && log.blockHash?.toLowerCase() !== header.hash,
          );
          if (mismatch !== undefined) {
            throw new RpcError(`logs of block ${to} name another hash than its header`, {
              details: `${mismatch.blockHash} != ${header.hash}`,
            });
          }
          return [logs, header] as const;
        },
        {
          signal: ctx.signal,
          shouldRetry: (error) => isRetryable(error) && !(error instanceof RangeTooLargeError),
          onRetry: (error, attempt) => {
            ctx.rpcFailed(error);
            ctx.log.warn({ err: error, attempt, from, to }, "retrying a log range");
          },
        },
      );
      ctx.sizer.record(to - from + 1, logs.length, performance.now() - started);
      return { from, to, logs, header };
    } catch (error) {
      if (error instanceof RangeTooLargeError && ctx.sizer.shrink()) {
        ctx.rpcFailed(error);
        ctx.log.debug({ from, to, size: ctx.sizer.size }, "log range refused; splitting");
        continue;
      }
      throw error;
    }
  }
}
