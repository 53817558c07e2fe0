// The indexer's health as /v1/status and /healthz tell it (node/indexer/health.ts), on a clock the test
// moves: a stall is the absence of progress while running, not the presence of errors.
import { describe, expect, it } from "vitest";
import { RpcError } from "../../../node/errors.ts";
import { HealthTracker } from "../../../node/indexer/health.ts";

function tracker() {
  const clock = { now: 1_000_000 };
  const health = new HealthTracker(10_000, () => clock.now);
  return { health, clock };
}

describe("HealthTracker", () => {
  it("is stalled only after the stall window without progress, and not from the next progress on", () => {
    const { health, clock } = tracker();
    health.started();
    clock.now += 10_000;
    expect(health.snapshot().stalled).toBe(false);
    clock.now += 1;
    expect(health.snapshot()).toMatchObject({ stalled: true, progressAt: 1_000_000, headAt: undefined });
    health.progressed();
    expect(health.snapshot().stalled).toBe(false);
  });

  it("is not stalled by errors while progress goes on, and keeps the last error after recovering", () => {
    const { health, clock } = tracker();
    health.started();
    for (let i = 0; i < 30; i++) {
      clock.now += 1_000;
      health.rpcFailed(new RpcError("an RPC request failed", { details: `attempt ${i}` }));
      health.headRead();
      health.progressed();
    }
    expect(health.snapshot()).toEqual({
      headAt: clock.now,
      progressAt: clock.now,
      lastRpcError: { message: "an RPC request failed: attempt 29", at: clock.now },
      stallAfterMs: 10_000,
      stalled: false,
    });
  });

  it("is not stalled when not running (a one-shot sync that returned, a stopped indexer)", () => {
    const { health, clock } = tracker();
    health.started();
    health.ended();
    clock.now += 60_000;
    expect(health.snapshot().stalled).toBe(false);
    // Started again: the window counts from the new start.
    health.started();
    clock.now += 5_000;
    expect(health.snapshot().stalled).toBe(false);
  });

  it("keeps an error to its first line, short, with the endpoint's words", () => {
    const { health } = tracker();
    health.rpcFailed(new Error(`HTTP request failed.\nURL: http://rpc.example/v3/secret-key\n${"x".repeat(50)}`));
    expect(health.snapshot().lastRpcError?.message).toBe("HTTP request failed.");
    health.rpcFailed(new RpcError("an RPC request failed", { details: "y".repeat(400) }));
    expect(health.snapshot().lastRpcError?.message).toHaveLength(301);
  });
});
