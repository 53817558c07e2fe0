import { describe, expect, it } from "vitest";
import { RpcError, RpcFatalError } from "../../../node/errors.ts";
import { backoffDelay, sleep, withRetry } from "../../../node/internal/retry.ts";

/** A step that fails with each of `failures` in turn, then returns "done"; `calls` counts the tries. */
function flaky(...failures: Error[]) {
  const step = async () => {
    step.calls++;
    const failure = failures[step.calls - 1];
    if (failure !== undefined) throw failure;
    return "done";
  };
  step.calls = 0;
  return step;
}

describe("withRetry", () => {
  it("retries what the node marks retryable until it succeeds, telling each retry", async () => {
    const step = flaky(new RpcError("timeout"), new RpcError("502"));
    const retries: number[] = [];
    await expect(withRetry(step, { baseMs: 1, onRetry: (_, attempt) => retries.push(attempt) })).resolves.toBe("done");
    expect(step.calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it("throws a fatal error, or an unknown one, at once", async () => {
    for (const error of [new RpcFatalError("method not found"), new TypeError("a bug")]) {
      const step = flaky(error);
      await expect(withRetry(step, { baseMs: 1 })).rejects.toBe(error);
      expect(step.calls).toBe(1);
    }
  });

  it("gives up after `attempts` tries with the last failure", async () => {
    const last = new RpcError("third");
    const step = flaky(new RpcError("first"), new RpcError("second"), last, new RpcError("fourth"));
    await expect(withRetry(step, { attempts: 3, baseMs: 1 })).rejects.toBe(last);
    expect(step.calls).toBe(3);
  });

  it("retries what `shouldRetry` picks instead of the node's marking", async () => {
    const step = flaky(new TypeError("flaky"));
    await expect(withRetry(step, { baseMs: 1, shouldRetry: (e) => e instanceof TypeError })).resolves.toBe("done");
    expect(step.calls).toBe(2);
  });

  it("stops waiting when aborted and throws the failure it was waiting after", async () => {
    const controller = new AbortController();
    const failure = new RpcError("down");
    const step = flaky(failure, failure, failure);
    const started = performance.now();
    const retried = withRetry(step, { baseMs: 60_000, maxMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(retried).rejects.toBe(failure);
    expect(step.calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("backoffDelay", () => {
  it("waits at most base × 2^attempt, capped at maxMs", () => {
    for (let i = 0; i < 200; i++) {
      expect(backoffDelay(0, { baseMs: 100 })).toBeLessThanOrEqual(100);
      expect(backoffDelay(3, { baseMs: 100 })).toBeLessThanOrEqual(800);
      expect(backoffDelay(30, { baseMs: 100, maxMs: 5_000 })).toBeLessThanOrEqual(5_000);
      expect(backoffDelay(3, { baseMs: 100 })).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("sleep", () => {
  it("resolves early when its signal aborts, and at once when it already has", async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(60_000, controller.signal);
    await sleep(60_000, controller.signal);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
