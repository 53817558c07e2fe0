import type { Address, Hex } from "viem";
import { isRetryable, RpcError, StoreMismatchError } from "../errors.ts";
import { type Cursor, encodeCursor, encodeHeader } from "../store/block.ts";
import { chainKey, cursorKey, headerKey } from "../store/keys.ts";
import type { Store } from "../store/open-store.ts";
import { readCursor } from "../store/read-cursor.ts";
import { backfill } from "./backfill.ts";
import { type IndexerHooks, type Log, type SyncContext, silentLog } from "./context.ts";
import type { Contracts } from "./events.ts";
import { followHead } from "./follow-head.ts";
import { HeadSignal } from "./head-signal.ts";
import { RangeSizer, type RangeSizerOptions } from "./range-sizer.ts";
import { backoffDelay, sleep, withRetry } from "./retry.ts";
import { fetchBlock, fetchChainId, fetchConfirmedBlock, type IndexerClient } from "./rpc.ts";

export interface CreateIndexerParameters {
  client: IndexerClient;
  store: Store;
  contracts: { gramToken: Address; escrow: Address; extraTokens?: readonly Address[] };
  /** The first block to index: the contracts' deploy block. */
  fromBlock: number;
  /** Blocks below `head - finality` are final: indexed in ranges, never rolled back. */
  finality: number;
  /** How often to look for a new head once synced (with `subscribeHeads`, a safety net). */
  pollingIntervalMs?: number;
  /**
   * Subscribes to new-head notifications (`eth_subscribe("newHeads")` over a WebSocket RPC) and
   * returns the unsubscribe function. A notification only wakes the loop: the head is then fetched and
   * checked like a polled one.
   */
  subscribeHeads?: ((onHead: () => void) => () => void) | undefined;
  log?: Log;
  hooks?: IndexerHooks;
  ranges?: RangeSizerOptions;
}

export interface IndexerStatus {
  phase: "idle" | "backfill" | "realtime" | "stopped" | "failed";
  cursor: Cursor | undefined;
  head: number | undefined;
  finalized: number | undefined;
}

export interface Indexer {
  /** Follows the chain until `signal` aborts (resolves) or a fatal error (rejects). */
  run(signal: AbortSignal): Promise<void>;
  /** Indexes up to the head seen now and returns: for tests, benchmarks and one-shot reindexing. */
  sync(signal?: AbortSignal): Promise<Cursor>;
  status(): IndexerStatus;
}

/**
 * The indexer: backfills final blocks with `eth_getLogs` over adaptive ranges, then follows new heads
 * (woken by a subscription when given one, else polling), rolling back reorgs through undo records. Every batch and its cursor are one atomic
 * write, so a crash resumes exactly where the store says.
 *
 * @example
 * const indexer = createIndexer({ client, store, contracts, fromBlock: 12, finality: 12 });
 * await indexer.run(controller.signal);
 */
export function createIndexer(params: CreateIndexerParameters): Indexer {
  const { client, store, fromBlock, finality, pollingIntervalMs = 1_000, log = silentLog, hooks = {} } = params;
  const contracts: Contracts = {
    gramToken: params.contracts.gramToken.toLowerCase() as Hex,
    escrow: params.contracts.escrow.toLowerCase() as Hex,
    extraTokens: (params.contracts.extraTokens ?? []).map((token) => token.toLowerCase() as Hex),
  };
  const addresses = [...new Set([contracts.gramToken, contracts.escrow, ...contracts.extraTokens])];
  const sizer = new RangeSizer(params.ranges);
  const status: IndexerStatus = { phase: "idle", cursor: undefined, head: undefined, finalized: undefined };

  function context(signal: AbortSignal, cursor: Cursor): SyncContext {
    return {
      client,
      store,
      contracts,
      addresses,
      finality,
      signal,
      log,
      sizer,
      hooks,
      cursor,
      retry: (fn) =>
        withRetry(fn, {
          signal,
          onRetry: (error, attempt, delayMs) => log.warn({ err: error, attempt, delayMs }, "retrying an RPC request"),
        }),
    };
  }

  /** The cursor, after checking that the data folder belongs to this chain and these contracts. */
  async function start(signal: AbortSignal): Promise<Cursor> {
    const chainId = await withRetry(() => fetchChainId(client), { signal });
    const meta = JSON.stringify({ chainId, ...contracts, fromBlock });
    const stored = await store.db.get(chainKey);
    if (stored !== undefined && stored !== meta) {
      throw new StoreMismatchError("the data folder was indexed for another chain or other contracts", {
        details: `it holds ${stored}; this node follows ${meta}`,
        hint: "use another --data-dir, or empty this one to reindex",
      });
    }
    const cursor = await readCursor(store);
    if (stored !== undefined && cursor !== undefined) return cursor;
    // An empty store starts just before `fromBlock`, at a real block, so that the first block's parent
    // hash is checked like any other.
    let initial: Cursor = { number: -1, hash: `0x${"0".repeat(64)}` };
    const ops = [{ type: "put" as const, key: chainKey, value: meta }];
    if (fromBlock > 0) {
      const block = await withRetry(
        async () => {
          // Confirmed by hash: a garbled hash kept here would be in the data folder for good.
          const found = await fetchConfirmedBlock(client, fromBlock - 1);
          if (found === undefined) throw new RpcError(`the chain has no block ${fromBlock - 1} yet`);
          return found;
        },
        { signal },
      );
      initial = { number: block.number, hash: block.hash };
      ops.push({ type: "put", key: headerKey(block.number), value: encodeHeader(block) });
    }
    ops.push({ type: "put", key: cursorKey, value: encodeCursor(initial) });
    await store.db.batch(ops, { sync: store.sync });
    return initial;
  }

  /** One look at the head: backfill what is final, then follow block by block. True when caught up. */
  async function step(ctx: SyncContext): Promise<boolean> {
    const head = await ctx.retry(async () => {
      const block = await fetchBlock(client, "latest");
      if (block === undefined) throw new RpcError("the RPC endpoint has no latest block");
      return block;
    });
    const finalized = head.number - finality;
    status.head = head.number;
    status.finalized = finalized;
    if (ctx.cursor.number < finalized) {
      // The cursor may have been replaced while the node was away: check it before building on it.
      if (ctx.cursor.number >= 0 && ctx.cursor.number >= fromBlock - 1) {
        const number = ctx.cursor.number;
        const block = await ctx.retry(() => fetchBlock(client, { number }));
        if (block !== undefined && block.hash !== ctx.cursor.hash) {
          await followHead(ctx, block);
          return false;
        }
      }
      status.phase = "backfill";
      await backfill(ctx, finalized);
      status.cursor = ctx.cursor;
      if (ctx.signal.aborted) return true;
    }
    status.phase = "realtime";
    const before = ctx.cursor;
    await followHead(ctx, head);
    status.cursor = ctx.cursor;
    return ctx.cursor.hash === head.hash || (ctx.cursor.hash === before.hash && ctx.cursor.number >= head.number);
  }

  async function sync(signal = new AbortController().signal): Promise<Cursor> {
    const ctx = context(signal, await start(signal));
    status.cursor = ctx.cursor;
    while (!signal.aborted && !(await step(ctx))) {}
    return ctx.cursor;
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let ctx: SyncContext | undefined;
    const heads = new HeadSignal();
    const unsubscribe = params.subscribeHeads?.(() => heads.notify());
    try {
      await loop();
    } finally {
      unsubscribe?.();
    }
    status.phase = "stopped";

    async function loop() {
      while (!signal.aborted) {
        try {
          ctx ??= context(signal, await start(signal));
          status.cursor = ctx.cursor;
          const caughtUp = await step(ctx);
          failures = 0;
          if (caughtUp) await heads.wait(pollingIntervalMs, signal);
        } catch (error) {
          if (!isRetryable(error)) {
            status.phase = "failed";
            log.error({ err: error }, "indexer stopped on a fatal error");
            throw error;
          }
          if (signal.aborted) break;
          // What is in memory may be ahead of a batch that failed: the store is the truth.
          if (ctx !== undefined) ctx.cursor = (await readCursor(store)) ?? ctx.cursor;
          const delayMs = backoffDelay(failures++, { baseMs: 200, maxMs: 30_000 });
          log.warn({ err: error, delayMs }, "sync step failed; retrying");
          await sleep(delayMs, signal);
        }
      }
    }
  }

  return { run, sync, status: () => ({ ...status }) };
}
