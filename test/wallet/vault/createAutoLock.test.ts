import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAutoLock } from "../../../wallet/vault/createAutoLock.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createAutoLock", () => {
  it("fires once after the idle time; touch restarts it; stop cancels it", () => {
    const onIdle = vi.fn();
    const autoLock = createAutoLock({ idleMs: 1_000, onIdle });
    vi.advanceTimersByTime(900);
    autoLock.touch();
    vi.advanceTimersByTime(900);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onIdle).toHaveBeenCalledTimes(1);
    autoLock.touch();
    vi.advanceTimersByTime(5_000);
    expect(onIdle).toHaveBeenCalledTimes(1);

    const stopped = vi.fn();
    createAutoLock({ idleMs: 1_000, onIdle: stopped }).stop();
    vi.advanceTimersByTime(5_000);
    expect(stopped).not.toHaveBeenCalled();
  });

  it("locks on the first touch after the idle time even when the timer was held back (a background tab)", () => {
    let clock = 0;
    const onIdle = vi.fn();
    const autoLock = createAutoLock({ idleMs: 1_000, onIdle, now: () => clock });
    clock = 5_000; // the timer has not run: throttled
    autoLock.touch();
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("defaults to 15 minutes and refuses a non-positive idle time", () => {
    const onIdle = vi.fn();
    createAutoLock({ onIdle });
    vi.advanceTimersByTime(15 * 60_000 - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(() => createAutoLock({ idleMs: 0, onIdle })).toThrow(RangeError);
  });
});
