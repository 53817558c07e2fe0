/**
 * The node's errors, on the base of protocol/errors.ts: a short message, then details, a hint and the
 * cause, and a stable code that the logs carry. Each subclass says whether the follower may retry it
 * (`retryable`): an RPC timeout or a response that contradicts itself is retried with backoff; a reorg
 * deeper than finality, a data folder written for another chain, an endpoint that now serves another
 * chain or a malformed store is fatal and stops the node loudly.
 */
import { BaseError, type BaseErrorParameters } from "../protocol/errors.ts";

export interface GramNodeErrorParameters extends BaseErrorParameters {
  /** For an error raised as a plain `GramNodeError`: what went wrong, SCREAMING_SNAKE. */
  code?: string | undefined;
}

/** Every error of the node. A failure (not the user's input) unless it says otherwise. */
export class GramNodeError extends BaseError {
  override name = "GramNodeError";
  readonly code: string;
  /** Whether running the same step again may succeed. */
  readonly retryable: boolean = false;

  constructor(shortMessage: string, { code, ...parameters }: GramNodeErrorParameters = {}) {
    super(shortMessage, { ...parameters, kind: parameters.kind ?? "failure" });
    this.code = code ?? "NODE_ERROR";
  }
}

/** The RPC endpoint failed (network, timeout, 5xx, rate limit): retried with backoff. */
export class RpcError extends GramNodeError {
  override name = "RpcError";
  override readonly code = "RPC_FAILED";
  override readonly retryable = true;
}

/** The RPC endpoint rejected the request itself (unknown method, bad params): retrying cannot help. */
export class RpcFatalError extends GramNodeError {
  override name = "RpcFatalError";
  override readonly code = "RPC_REFUSED";
}

/** A response contradicts itself or the request (a log from another block): refetched. */
export class InconsistentResponseError extends GramNodeError {
  override name = "InconsistentResponseError";
  override readonly code = "RPC_INCONSISTENT";
  override readonly retryable = true;
}

/** The provider refused a log range as too large or too full: the range is split, not retried as is. */
export class RangeTooLargeError extends GramNodeError {
  override name = "RangeTooLargeError";
  override readonly code = "RANGE_TOO_LARGE";
  override readonly retryable = true;
}

/** The chain replaced blocks older than the configured finality: the store cannot be rolled back that far. */
export class ReorgTooDeepError extends GramNodeError {
  override name = "ReorgTooDeepError";
  override readonly code = "REORG_TOO_DEEP";
}

/** The data folder was written for another chain, other contracts or another start block. */
export class StoreMismatchError extends GramNodeError {
  override name = "StoreMismatchError";
  override readonly code = "STORE_MISMATCH";
}

/** The RPC endpoint serves another chain than the one the node follows (a switched endpoint, a fork). */
export class ChainMismatchError extends GramNodeError {
  override name = "ChainMismatchError";
  override readonly code = "CHAIN_MISMATCH";
}

/** The store holds something the indexer never writes: a bug or a damaged folder. */
export class StoreCorruptError extends GramNodeError {
  override name = "StoreCorruptError";
  override readonly code = "STORE_CORRUPT";
}

/** Whether the follower may retry after `error`. Unknown errors are fatal: never guess past a bug. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GramNodeError && error.retryable;
}
