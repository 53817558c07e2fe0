import type { RpcLog } from "viem";
import type { ChainEvent, Contracts } from "../internal/chain-events.ts";
import type { BlockRef } from "../store/block.ts";
import { commitBatch } from "../store/commit-batch.ts";
import type { Store } from "../store/open-store.ts";
import { Overlay } from "../store/overlay.ts";
import { applyEvents, loadEventState } from "./apply-events.ts";
import { decodeLogs } from "./decode-logs.ts";

export interface IndexBatchParameters {
  contracts: Contracts;
  /** The logs of every block up to and including `block`, after the cursor, in chain order. */
  logs: readonly RpcLog[];
  /** The last block of the batch: the cursor afterwards. */
  block: BlockRef;
  /** Keep an undo record: the block is not final. */
  undo: boolean;
  pruneBelow: number;
}

/**
 * Decodes a batch of logs, applies them over an overlay of the store and commits the effects with the
 * cursor in one atomic write.
 *
 * @example
 * const events = await indexBatch(store, { contracts, logs, block, undo: true, pruneBelow: block.number - 12 });
 */
export async function indexBatch(store: Store, params: IndexBatchParameters): Promise<ChainEvent[]> {
  const events = decodeLogs(params.logs, params.contracts);
  const overlay = new Overlay(store);
  await loadEventState(overlay, events);
  applyEvents(overlay, events);
  await commitBatch(store, {
    writes: overlay.writes,
    previous: overlay.previous,
    block: params.block,
    undo: params.undo,
    pruneBelow: params.pruneBelow,
  });
  return events;
}
