// A token bucket per key, shared by the relayer (per payer) and the chat hub (per address, per connection).
export interface RateLimiterParameters {
  /** Requests each key may make per minute, and the burst it may make at once. */
  perMinute: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Takes one request from `key`'s bucket: `0` when allowed, else the seconds until one is. */
  take(key: string): number;
}

/** Buckets beyond this many are pruned of the full ones, so that a flood of new payers cannot grow memory. */
const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key: `perMinute` tokens, refilled continuously, so a payer may burst up to the
 * limit and then relay at the steady rate.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 10 });
 * if (limiter.take(payer) > 0) refuse();
 */
export function createRateLimiter({ perMinute, now = Date.now }: RateLimiterParameters): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const refill = (bucket: { tokens: number; at: number }, at: number) => {
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
  };
  return {
    take(key) {
      const at = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= MAX_BUCKETS) {
          for (const [k, b] of buckets) {
            refill(b, at);
            if (b.tokens >= perMinute) buckets.delete(k);
          }
        }
        bucket = { tokens: perMinute, at };
        buckets.set(key, bucket);
      }
      refill(bucket, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1_000));
    },
  };
}
