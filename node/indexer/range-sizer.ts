export interface RangeSizerOptions {
  /** Blocks in the first range. */
  initial?: number;
  /**
   * Logs a range should bring: enough to amortise a request, few enough to bound memory. Each log
   * costs a few KiB while its range is in flight (the JSON text, viem's parsed objects, the decoded
   * event, its history entries and batch operations), and two ranges are (the one applied, the one
   * prefetched): 2,000 keeps the node near 200 MiB peak RSS over a 100,000-event backfill, where
   * 10,000 reached 400–600 MiB for no more events/s (scripts/bench/node.ts).
   */
  targetLogs?: number;
  max?: number;
  /** A response slower than this halves the next range. */
  slowMs?: number;
}

/**
 * Chooses the next `eth_getLogs` range: grows it (up to twice) while responses are small and fast,
 * shrinks it when they are full (straight to the size that would have brought `targetLogs`, at most
 * 16 times smaller) or slow, halves it when the provider refuses a range.
 */
export class RangeSizer {
  size: number;
  private readonly targetLogs: number;
  private readonly max: number;
  private readonly slowMs: number;

  constructor({ initial = 200, targetLogs = 2_000, max = 100_000, slowMs = 4_000 }: RangeSizerOptions = {}) {
    this.size = initial;
    this.targetLogs = targetLogs;
    this.max = max;
    this.slowMs = slowMs;
  }

  /** Learns from a range of `blocks` that returned `logs` logs in `ms`. */
  record(blocks: number, logs: number, ms: number): void {
    let factor = logs === 0 ? 2 : Math.min(2, Math.max(1 / 16, this.targetLogs / logs));
    if (ms > this.slowMs) factor = Math.min(factor, 0.5);
    const next = Math.round(blocks * factor);
    // A range cut short by the head says nothing against a larger one.
    this.size = Math.min(this.max, Math.max(1, factor >= 1 ? Math.max(this.size, next) : next));
  }

  /** The provider refused a range: halve it. Returns false when it is already one block. */
  shrink(): boolean {
    if (this.size <= 1) return false;
    this.size = Math.max(1, Math.floor(this.size / 2));
    return true;
  }
}
