import { GramNodeError } from "../errors.ts";

/** What the node tells of the indexer's health (`/v1/status`, `/healthz`). Times are ms since the epoch. */
export interface IndexerHealth {
  /** When the chain's head was last read; undefined before the first read. */
  headAt: number | undefined;
  /** When the indexer last made progress: caught up with a head it had just read, or committed a batch. */
  progressAt: number | undefined;
  /** The last RPC request or sync step that failed, and when. */
  lastRpcError: { message: string; at: number } | undefined;
  /** No progress for this long counts as stalled. */
  stallAfterMs: number;
  /** Running, and no progress for longer than `stallAfterMs`: the head it shows is stale. */
  stalled: boolean;
}

/**
 * Keeps the moments the indexer's health is judged by. A stall is the absence of progress, not the
 * presence of errors: an endpoint that hangs raises no error until a request times out, and one that
 * fails a request now and then while the index keeps up is not stalled.
 *
 * @example
 * const health = new HealthTracker(10_000);
 * health.started();
 * health.headRead();
 * health.progressed();
 * health.snapshot().stalled; // false
 */
export class HealthTracker {
  private headAt: number | undefined;
  private progressAt: number | undefined;
  private lastRpcError: IndexerHealth["lastRpcError"];
  /** Runs (`run`, `sync`) under way: progress is expected only while one is. */
  private running = 0;

  private readonly stallAfterMs: number;
  private readonly now: () => number;

  constructor(stallAfterMs: number, now: () => number = Date.now) {
    this.stallAfterMs = stallAfterMs;
    this.now = now;
  }

  /** The indexer starts following (or syncing): the stall clock starts now. */
  started(): void {
    this.running++;
    this.progressAt = this.now();
  }

  /** It stopped: an indexer that is not running is not stalled (its phase says it stopped). */
  ended(): void {
    this.running = Math.max(0, this.running - 1);
  }

  headRead(): void {
    this.headAt = this.now();
  }

  progressed(): void {
    this.progressAt = this.now();
  }

  rpcFailed(error: unknown): void {
    this.lastRpcError = { message: describe(error), at: this.now() };
  }

  snapshot(): IndexerHealth {
    const { headAt, progressAt, lastRpcError, stallAfterMs } = this;
    const stalled = this.running > 0 && progressAt !== undefined && this.now() - progressAt > stallAfterMs;
    return { headAt, progressAt, lastRpcError, stallAfterMs, stalled };
  }
}

/** One line, short: what failed and the endpoint's words (never the URL, which may hold a key). */
function describe(error: unknown): string {
  const text =
    error instanceof GramNodeError
      ? [error.shortMessage, error.details].filter(Boolean).join(": ")
      : error instanceof Error
        ? error.message
        : String(error);
  const line = text.split("\n")[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
