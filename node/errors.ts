/**
 * The node's errors. One base class, as viem's `BaseError`: a short message, then details, a hint and
 * the cause. Each subclass says whether the follower may retry it (`retryable`): an RPC timeout or a
 * response that contradicts itself is retried with backoff; a reorg deeper than finality, a data folder
 * written for another chain, an endpoint that now serves another chain or a malformed store is fatal and
 * stops the node loudly.
 */
export interface GramNodeErrorParameters {
  details?: string;
  hint?: string;
  cause?: unknown;
}

export class GramNodeError extends Error {
  override name = "GramNodeError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;
  /** Whether running the same step again may succeed. */
  readonly retryable: boolean = false;

  constructor(shortMessage: string, { details, hint, cause }: GramNodeErrorParameters = {}) {
    const lines = [shortMessage];
    if (details) lines.push(`Details: ${details}`);
    if (hint) lines.push(`Hint: ${hint}`);
    super(lines.join("\n"), cause === undefined ? undefined : { cause });
    this.shortMessage = shortMessage;
    this.details = details;
    this.hint = hint;
  }
}

/** The RPC endpoint failed (network, timeout, 5xx, rate limit): retried with backoff. */
export class RpcError extends GramNodeError {
  override name = "RpcError";
  override readonly retryable = true;
}

/** The RPC endpoint rejected the request itself (unknown method, bad params): retrying cannot help. */
export class RpcFatalError extends GramNodeError {
  override name = "RpcFatalError";
}

/** A response contradicts itself or the request (a log from another block): refetched. */
export class InconsistentResponseError extends GramNodeError {
  override name = "InconsistentResponseError";
  override readonly retryable = true;
}

/** The provider refused a log range as too large or too full: the range is split, not retried as is. */
export class RangeTooLargeError extends GramNodeError {
  override name = "RangeTooLargeError";
  override readonly retryable = true;
}

/** The chain replaced blocks older than the configured finality: the store cannot be rolled back that far. */
export class ReorgTooDeepError extends GramNodeError {
  override name = "ReorgTooDeepError";
}

/** The data folder was written for another chain, other contracts or another start block. */
export class StoreMismatchError extends GramNodeError {
  override name = "StoreMismatchError";
}

/** The RPC endpoint serves another chain than the one the node follows (a switched endpoint, a fork). */
export class ChainMismatchError extends GramNodeError {
  override name = "ChainMismatchError";
}

/** The store holds something the indexer never writes: a bug or a damaged folder. */
export class StoreCorruptError extends GramNodeError {
  override name = "StoreCorruptError";
}

/** Whether the follower may retry after `error`. Unknown errors are fatal: never guess past a bug. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GramNodeError && error.retryable;
}
