import { ReorgTooDeepError, RpcError } from "../errors.ts";
import { readHeader } from "../store/read-cursor.ts";
import { rollback } from "../store/rollback.ts";
import type { SyncContext } from "./context.ts";
import { fetchBlockLogs } from "./fetch-block-logs.ts";
import { indexBatch } from "./index-batch.ts";
import { confirmBlock, fetchBlock, fetchConfirmedBlock, type RemoteBlock } from "./rpc.ts";

/**
 * Brings the cursor to `head` block by block, as Ponder's realtime sync does: the same block again is
 * a duplicate; an older block of our chain is a lagging node; a block whose parent is not our cursor
 * is a reorg (walk back to the common ancestor, roll back); a block further ahead is a gap (fetch the
 * blocks between); the next block is applied with an undo record. Returns after a reorg so the caller
 * takes a fresh look at the head.
 */
export async function followHead(ctx: SyncContext, head: RemoteBlock): Promise<void> {
  if (head.hash === ctx.cursor.hash) return;
  if (head.number <= ctx.cursor.number) {
    const local = await readHeader(ctx.store, head.number);
    if (local?.hash !== head.hash) await reorg(ctx, head);
    return;
  }
  for (let number = ctx.cursor.number + 1; number <= head.number; number++) {
    if (ctx.signal.aborted) return;
    const block = number === head.number ? head : await ctx.retry(() => mustFetch(ctx, { number }));
    if (block.parentHash !== ctx.cursor.hash) {
      await reorg(ctx, block);
      return;
    }
    await indexBlock(ctx, block);
  }
}

async function indexBlock(ctx: SyncContext, block: RemoteBlock): Promise<void> {
  const logs = await fetchBlockLogs(ctx, block);
  if (ctx.signal.aborted) return;
  // Logs fetched by the block's hash vouch for it; without any, one garbled hash would become the
  // cursor and the next block's parent hash would look like a reorg. The step fails; the next one
  // starts from a fresh head.
  if (logs.length === 0) {
    const mismatch = await ctx.retry(() => confirmBlock(ctx.client, block));
    if (mismatch !== undefined) throw mismatch;
  }
  const events = await indexBatch(ctx.store, {
    contracts: ctx.contracts,
    logs,
    block,
    undo: true,
    pruneBelow: block.number - ctx.finality,
  });
  ctx.cursor = { number: block.number, hash: block.hash };
  ctx.hooks.onBatch?.({ cursor: ctx.cursor, events, final: false });
  if (events.length > 0) ctx.log.debug({ block: block.number, events: events.length }, "block indexed");
}

/**
 * `claimed` does not extend our chain. Fetches that block again, confirmed by hash (one garbled header
 * must not roll anything back), walks its ancestors back (by parent hash, so the walk is one
 * consistent chain) until one matches a kept header, refusing to pass the finality boundary, and
 * rolls the store back to it.
 */
async function reorg(ctx: SyncContext, claimed: RemoteBlock): Promise<void> {
  const from = ctx.cursor;
  const floor = from.number - ctx.finality;
  const tip = await ctx.retry(() => mustFetchConfirmed(ctx, claimed.number));
  let walk = await walkBack(ctx, tip, floor);
  // A walk past finality is fatal: make sure it did not follow one garbled answer. Walk again, once.
  if (walk.ancestor === undefined) {
    const again = await ctx.retry(() => mustFetchConfirmed(ctx, tip.number));
    walk = await walkBack(ctx, again, floor);
  }
  const { ancestor, deepest } = walk;
  if (ancestor === undefined) {
    throw new ReorgTooDeepError(`reorg deeper than the configured finality of ${ctx.finality} blocks`, {
      details: `the chain replaced block ${deepest.number} (now ${deepest.hash}); the store is at ${from.number} ${from.hash} and can roll back to block ${floor} at most`,
      hint: `raise --finality (now ${ctx.finality}) above the depth of the chain's reorgs and reindex into an empty data folder: the data cannot be repaired in place`,
    });
  }
  if (ancestor.number >= Math.min(from.number, tip.number)) {
    // The block that looked like a reorg was not the node's: nothing was replaced.
    ctx.log.warn({ block: claimed.number, hash: claimed.hash, now: tip.hash }, "a header did not hold up; no reorg");
    return;
  }
  const result = await rollback(ctx.store, { toBlock: ancestor.number });
  ctx.cursor = result.cursor;
  ctx.log.warn(
    { from: from.number, to: ancestor.number, depth: result.blocks, newTip: tip.number },
    "reorg: rolled back to the common ancestor",
  );
  ctx.hooks.onReorg?.({ ...result, from });
}

/** Walks back from `tip` to the cursor's height, then to the first kept header it matches (not below `floor`). */
async function walkBack(
  ctx: SyncContext,
  tip: RemoteBlock,
  floor: number,
): Promise<{ ancestor: RemoteBlock | undefined; deepest: RemoteBlock }> {
  let remote = tip;
  while (remote.number > ctx.cursor.number) {
    const parentHash = remote.parentHash;
    remote = await ctx.retry(() => mustFetch(ctx, { hash: parentHash }));
  }
  for (;;) {
    const local = remote.number >= floor ? await readHeader(ctx.store, remote.number) : undefined;
    if (local === undefined) return { ancestor: undefined, deepest: remote };
    if (local.hash === remote.hash) return { ancestor: remote, deepest: remote };
    const parentHash = remote.parentHash;
    remote = await ctx.retry(() => mustFetch(ctx, { hash: parentHash }));
  }
}

async function mustFetch(ctx: SyncContext, which: { number: number } | { hash: `0x${string}` }) {
  const block = await fetchBlock(ctx.client, which);
  if (block === undefined) throw new RpcError(`the RPC endpoint does not have block ${JSON.stringify(which)}`);
  return block;
}

async function mustFetchConfirmed(ctx: SyncContext, number: number) {
  const block = await fetchConfirmedBlock(ctx.client, number);
  if (block === undefined) throw new RpcError(`the RPC endpoint does not have block ${number}`);
  return block;
}
