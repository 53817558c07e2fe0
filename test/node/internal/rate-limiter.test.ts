// The per-payer token bucket on its own, with a clock the test moves: a burst up to the limit, then
// the steady rate, each payer apart.
import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../../../node/internal/rate-limiter.ts";

describe("rate limiter", () => {
  it("allows a burst of perMinute, then one request per 60/perMinute seconds", () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 6, now: () => now });
    expect(Array.from({ length: 7 }, () => limiter.take("alice"))).toEqual([0, 0, 0, 0, 0, 0, 10]);
    now += 9_000;
    expect(limiter.take("alice")).toBe(1);
    now += 1_000;
    expect(limiter.take("alice")).toBe(0);
    expect(limiter.take("alice")).toBe(10);
  });

  it("keeps each payer's bucket apart and never refills above the limit", () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 2, now: () => now });
    expect([limiter.take("alice"), limiter.take("alice"), limiter.take("alice")]).toEqual([0, 0, 30]);
    expect(limiter.take("bob")).toBe(0);
    now += 3_600_000;
    expect([limiter.take("alice"), limiter.take("alice"), limiter.take("alice")]).toEqual([0, 0, 30]);
  });
});
