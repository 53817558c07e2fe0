import type { Address, Hex } from "viem";
import { ChainMismatchError, isRetryable, RpcError, StoreMismatchError } from "../errors.ts";
import type { Contracts } from "../internal/chain-events.ts";
import type { IndexerHooks } from "../internal/indexer-events.ts";
import { type Log, silentLog } from "../internal/logger.ts";
import { backoffDelay, sleep, withRetry } from "../internal/retry.ts";
import { type Cursor, encodeCursor, encodeHeader } from "../store/block.ts";
import { chainKey, cursorKey, headerKey } from "../store/keys.ts";
import type { Store } from "../store/open-store.ts";
import { readCursor } from "../store/read-cursor.ts";
import { backfill } from "./backfill.ts";
import type { SyncContext } from "./context.ts";
import { followHead } from "./follow-head.ts";
import { HeadSignal } from "./head-signal.ts";
import { HealthTracker, type IndexerHealth } from "./health.ts";
import { RangeSizer, type RangeSizerOptions } from "./range-sizer.ts";
import { fetchBlock, fetchChainId, fetchConfirmedBlock, type IndexerClient, type RemoteBlock } from "./rpc.ts";

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
  /**
   * The chain the node follows. The endpoint's chain id is checked against it at start and every
   * `chainCheckIntervalMs` (and after a failed step): another id stops the indexer with a
   * `ChainMismatchError`. Default: the id the endpoint gives at start.
   */
  chainId?: number;
  chainCheckIntervalMs?: number;
  /** No progress for this long is a stall (`status().stalled`). Default: max(10 s, 10 polling intervals). */
  stallAfterMs?: number;
}

export interface IndexerStatus extends IndexerHealth {
  /**
   * `idle` until the stored cursor has been checked against the chain (the API serves no indexed data
   * before that), then `backfill` or `realtime`; `stopped` after an abort, `failed` after a fatal error.
   */
  phase: "idle" | "backfill" | "realtime" | "stopped" | "failed";
  cursor: Cursor | undefined;
  head: number | undefined;
  finalized: number | undefined;
}

/** What a status is before the indexer has run: for stubs of the indexer (an API without a chain). */
export const IDLE_STATUS: IndexerStatus = {
  phase: "idle",
  cursor: undefined,
  head: undefined,
  finalized: undefined,
  headAt: undefined,
  progressAt: undefined,
  lastRpcError: undefined,
  stallAfterMs: 10_000,
  stalled: false,
};

/** A failed sync step is retried after a backoff of at most this: a recovered endpoint is seen within seconds. */
const MAX_STEP_BACKOFF_MS = 5_000;

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
  const { client, store, fromBlock, finality, pollingIntervalMs = 1_000, log = silentLog } = params;
  const { chainCheckIntervalMs = 10_000, stallAfterMs = Math.max(10_000, 10 * pollingIntervalMs) } = params;
  const contracts: Contracts = {
    gramToken: params.contracts.gramToken.toLowerCase() as Hex,
    escrow: params.contracts.escrow.toLowerCase() as Hex,
    extraTokens: (params.contracts.extraTokens ?? []).map((token) => token.toLowerCase() as Hex),
  };
  const addresses = [...new Set([contracts.gramToken, contracts.escrow, ...contracts.extraTokens])];
  const sizer = new RangeSizer(params.ranges);
  const status: Pick<IndexerStatus, "phase" | "cursor" | "head" | "finalized"> = {
    phase: "idle",
    cursor: undefined,
    head: undefined,
    finalized: undefined,
  };
  const health = new HealthTracker(stallAfterMs);
  // Every committed batch and rollback is progress.
  const hooks: IndexerHooks = {
    onBatch: (batch) => {
      health.progressed();
      params.hooks?.onBatch?.(batch);
    },
    onReorg: (reorg) => {
      health.progressed();
      params.hooks?.onReorg?.(reorg);
    },
  };
  let expectedChainId = params.chainId;
  let chainCheckedAt = Number.NEGATIVE_INFINITY;
  /** Whether the stored cursor has been found on the chain since start (a new store's is). */
  let cursorChecked = false;

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
          onRetry: (error, attempt, delayMs) => {
            health.rpcFailed(error);
            log.warn({ err: error, attempt, delayMs }, "retrying an RPC request");
          },
        }),
      rpcFailed: (error) => health.rpcFailed(error),
    };
  }

  /** Throws a `ChainMismatchError` when the endpoint gives another chain id than the node follows. */
  async function checkChain(signal: AbortSignal, retry: SyncContext["retry"] = (fn) => withRetry(fn, { signal })) {
    const chainId = await retry(() => fetchChainId(client));
    expectedChainId ??= chainId;
    if (chainId !== expectedChainId) {
      throw new ChainMismatchError(`the RPC endpoint now serves chain ${chainId}, not ${expectedChainId}`, {
        details: `this node follows chain ${expectedChainId}: its data folder and deployment are that chain's`,
        hint: `point --rpc at an endpoint of chain ${expectedChainId}; to follow chain ${chainId}, start a node with another --data-dir`,
      });
    }
    chainCheckedAt = performance.now();
  }

  /** The cursor, after checking that the data folder belongs to this chain and these contracts. */
  async function start(signal: AbortSignal): Promise<Cursor> {
    await checkChain(signal);
    const meta = JSON.stringify({ chainId: expectedChainId, ...contracts, fromBlock });
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
    // Just read from the chain (confirmed by hash): nothing stored is older.
    cursorChecked = true;
    return initial;
  }

  /**
   * Whether the cursor is on the chain `head` belongs to. A replaced cursor is rolled back to the
   * common ancestor (or, past the finality, a fatal `ReorgTooDeepError`) and checked again in the next
   * step; an endpoint behind the cursor leaves it unchecked until it catches up.
   */
  async function checkCursor(ctx: SyncContext, head: RemoteBlock): Promise<"on chain" | "rolled back" | "ahead"> {
    if (ctx.cursor.number < 0 || ctx.cursor.number < fromBlock - 1) return "on chain";
    const before = ctx.cursor;
    if (head.number < before.number) {
      // The block at the endpoint's head must be ours; the blocks above it cannot be checked yet.
      await followHead(ctx, head);
      return ctx.cursor.hash === before.hash ? "ahead" : "rolled back";
    }
    const number = before.number;
    const block = head.number === number ? head : await ctx.retry(() => fetchBlock(client, { number }));
    if (block?.hash === before.hash) return "on chain";
    if (block !== undefined) await followHead(ctx, block);
    return "rolled back";
  }

  /** One look at the head: backfill what is final, then follow block by block. True when caught up. */
  async function step(ctx: SyncContext): Promise<boolean> {
    // The chain id is asked beside the head, now and then: nothing of another chain is indexed after
    // the check that would have caught it.
    const checkingChain = performance.now() - chainCheckedAt >= chainCheckIntervalMs;
    const [head] = await Promise.all([
      ctx.retry(async () => {
        const block = await fetchBlock(client, "latest");
        if (block === undefined) throw new RpcError("the RPC endpoint has no latest block");
        return block;
      }),
      checkingChain ? checkChain(ctx.signal, ctx.retry) : undefined,
    ]);
    health.headRead();
    const finalized = head.number - finality;
    status.head = head.number;
    status.finalized = finalized;
    // The cursor may have been replaced while the node was away (or stalled): check it before building
    // on it. Until it is found on the chain the phase stays `idle` and the API serves no indexed data.
    if (!cursorChecked || ctx.cursor.number < finalized) {
      const found = await checkCursor(ctx, head);
      status.cursor = ctx.cursor;
      if (found === "ahead") return true;
      if (found === "rolled back") return false;
      if (!cursorChecked) log.info({ block: ctx.cursor.number }, "the stored cursor is on the chain");
      cursorChecked = true;
    }
    if (ctx.cursor.number < finalized) {
      status.phase = "backfill";
      await backfill(ctx, finalized);
      status.cursor = ctx.cursor;
      if (ctx.signal.aborted) return true;
    }
    status.phase = "realtime";
    const before = ctx.cursor;
    await followHead(ctx, head);
    status.cursor = ctx.cursor;
    const caughtUp =
      ctx.cursor.hash === head.hash || (ctx.cursor.hash === before.hash && ctx.cursor.number >= head.number);
    if (caughtUp) health.progressed();
    return caughtUp;
  }

  async function sync(signal = new AbortController().signal): Promise<Cursor> {
    health.started();
    try {
      const ctx = context(signal, await start(signal));
      status.cursor = ctx.cursor;
      while (!signal.aborted && !(await step(ctx))) {}
      return ctx.cursor;
    } finally {
      health.ended();
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let ctx: SyncContext | undefined;
    const heads = new HeadSignal();
    const unsubscribe = params.subscribeHeads?.(() => heads.notify());
    health.started();
    try {
      await loop();
    } finally {
      unsubscribe?.();
      health.ended();
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
          health.rpcFailed(error);
          // The endpoint may have been replaced while it failed: its chain id is asked again first.
          chainCheckedAt = Number.NEGATIVE_INFINITY;
          // What is in memory may be ahead of a batch that failed: the store is the truth.
          if (ctx !== undefined) ctx.cursor = (await readCursor(store)) ?? ctx.cursor;
          const delayMs = backoffDelay(failures++, { baseMs: 200, maxMs: MAX_STEP_BACKOFF_MS });
          log.warn({ err: error, delayMs }, "sync step failed; retrying");
          await sleep(delayMs, signal);
        }
      }
    }
  }

  return { run, sync, status: () => ({ ...status, ...health.snapshot() }) };
}
