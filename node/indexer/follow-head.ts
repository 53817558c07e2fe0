import type { RpcLog } from "viem";
import { ReorgTooDeepError, RpcError } from "../errors.ts";
import { readHeader } from "../store/read-cursor.ts";
import { rollback } from "../store/rollback.ts";
import { bloomMayContain } from "./bloom.ts";
import type { SyncContext } from "./context.ts";
import { indexBatch } from "./index-batch.ts";
import { fetchBlock, fetchLogs, type RemoteBlock } from "./rpc.ts";

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
  const mayHaveLogs = ctx.addresses.some((address) => bloomMayContain(block.logsBloom, address));
  const logs: RpcLog[] = mayHaveLogs
    ? await ctx.retry(() => fetchLogs(ctx.client, { addresses: ctx.addresses, block }))
    : [];
  if (ctx.signal.aborted) return;
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
 * `tip` does not extend our chain. Walks its ancestors back (by parent hash, so the walk is one
 * consistent chain) until one matches a kept header, refusing to pass the finality boundary, and
 * rolls the store back to it.
 */
async function reorg(ctx: SyncContext, tip: RemoteBlock): Promise<void> {
  const from = ctx.cursor;
  const floor = from.number - ctx.finality;
  let remote = tip;
  while (remote.number > from.number) {
    const parentHash = remote.parentHash;
    remote = await ctx.retry(() => mustFetch(ctx, { hash: parentHash }));
  }
  for (;;) {
    const local = remote.number >= floor ? await readHeader(ctx.store, remote.number) : undefined;
    if (local === undefined) {
      throw new ReorgTooDeepError(`reorg deeper than the configured finality of ${ctx.finality} blocks`, {
        details: `the chain replaced block ${remote.number} (now ${remote.hash}); the store is at ${from.number} ${from.hash} and can roll back to block ${floor} at most`,
        hint: "the data cannot be repaired in place: raise --confirmations and reindex into an empty data folder",
      });
    }
    if (local.hash === remote.hash) break;
    const parentHash = remote.parentHash;
    remote = await ctx.retry(() => mustFetch(ctx, { hash: parentHash }));
  }
  const result = await rollback(ctx.store, { toBlock: remote.number });
  ctx.cursor = result.cursor;
  ctx.log.warn(
    { from: from.number, to: remote.number, depth: result.blocks, newTip: tip.number },
    "reorg: rolled back to the common ancestor",
  );
  ctx.hooks.onReorg?.({ ...result, from });
}

async function mustFetch(ctx: SyncContext, which: { number: number } | { hash: `0x${string}` }) {
  const block = await fetchBlock(ctx.client, which);
  if (block === undefined) throw new RpcError(`the RPC endpoint does not have block ${JSON.stringify(which)}`);
  return block;
}
