import type { RpcLog } from "viem";
import { sleep } from "../internal/retry.ts";
import { bloomMayContain } from "./bloom.ts";
import type { SyncContext } from "./context.ts";
import { fetchLogs, type RemoteBlock } from "./rpc.ts";

/** Tries in all before an empty answer that the block's bloom contradicts is believed. */
export const SUSPECT_EMPTY_TRIES = 4;
/** The wait before the first refetch, doubled for each next one: 150, 300, 600 ms. */
const SUSPECT_EMPTY_DELAY_MS = 150;

/**
 * The tracked contracts' logs of one new block, by its hash. A block whose logs bloom cannot contain
 * them has none: nothing is asked. When the bloom says they may have logs and `eth_getLogs` answers
 * none, the answer is suspect: behind a load balancer, a backend that has not imported the block yet
 * answers `[]`, and a block committed empty loses its transfers for good. The request is made again
 * after a short wait, and an empty answer is believed only after `SUSPECT_EMPTY_TRIES` tries, since
 * blooms have false positives (on a busy chain, often). Ponder fixed the same loss this way: its
 * realtime sync took an empty `eth_getLogs` answer for a block whose bloom has bits set as invalid
 * (ponder-sh/ponder#880, "New algorithm to detect invalid eth_getLogs responses",
 * packages/core/src/sync-realtime); it asked for all of the block's logs, where the node asks only for
 * its contracts', so it retries a bounded number of times instead of refusing outright.
 *
 * @example
 * const logs = await fetchBlockLogs(ctx, block);
 */
export async function fetchBlockLogs(ctx: SyncContext, block: RemoteBlock): Promise<RpcLog[]> {
  if (!ctx.addresses.some((address) => bloomMayContain(block.logsBloom, address))) return [];
  for (let attempt = 1; ; attempt++) {
    const logs = await ctx.retry(() => fetchLogs(ctx.client, { addresses: ctx.addresses, block }));
    if (logs.length > 0) {
      if (attempt > 1) {
        ctx.log.warn(
          { block: block.number, hash: block.hash, emptyAnswers: attempt - 1 },
          "eth_getLogs answered [] for a block with logs, then its logs: a lagging RPC backend",
        );
      }
      return logs;
    }
    if (attempt >= SUSPECT_EMPTY_TRIES || ctx.signal.aborted) return logs;
    const delayMs = SUSPECT_EMPTY_DELAY_MS * 2 ** (attempt - 1);
    ctx.log.debug(
      { block: block.number, attempt, delayMs },
      "eth_getLogs answered [] where the bloom says the tracked contracts may have logs: asking again",
    );
    await sleep(delayMs, ctx.signal);
  }
}
