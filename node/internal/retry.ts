import { isRetryable } from "../errors.ts";

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs?: number;
  maxMs?: number;
}

/** Exponential backoff with full jitter: a uniformly random wait up to `base * 2^attempt`, capped. */
export function backoffDelay(attempt: number, { baseMs = 100, maxMs = 10_000 }: BackoffOptions = {}): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

/** Waits `ms`, or less when `signal` aborts (it resolves then; the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export interface WithRetryOptions extends BackoffOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  signal?: AbortSignal;
  /** Which errors to retry; by default those the node marks retryable. */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn`, retrying retryable failures with backoff and jitter; the last failure, or the first fatal
 * one, is thrown. An abort stops the retries and throws the last failure.
 *
 * @example
 * const block = await withRetry(() => fetchBlock(client, "latest"), { attempts: 5, signal });
 */
export async function withRetry<T>(fn: () => Promise<T>, options: WithRetryOptions = {}): Promise<T> {
  const { attempts = 5, signal, shouldRetry = isRetryable, onRetry } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt + 1 >= attempts || !shouldRetry(error) || signal?.aborted) throw error;
      const delay = backoffDelay(attempt, options);
      onRetry?.(error, attempt + 1, delay);
      await sleep(delay, signal);
      if (signal?.aborted) throw error;
    }
  }
}
