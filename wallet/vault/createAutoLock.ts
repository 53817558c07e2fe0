export interface CreateAutoLockParameters {
  /** Idle time before `onIdle`, in milliseconds. @default 900000 (15 minutes) */
  idleMs?: number | undefined;
  /** Called once, when the idle time has passed without `touch`. */
  onIdle: () => void;
  /** The clock; tests pass their own. @default Date.now */
  now?: (() => number) | undefined;
}

export interface AutoLock {
  /** Activity: the idle time starts again (or, if it has already passed, `onIdle` runs now). */
  touch(): void;
  /** Cancels the timer; `onIdle` will not run. */
  stop(): void;
}

export const DEFAULT_IDLE_MS = 15 * 60_000;

/**
 * An idle timer for an unlocked vault. A background tab's timers are throttled and may fire late, so a
 * `touch` also compares the clock with the last activity: coming back to a tab after the idle time locks it,
 * rather than restarting the count.
 *
 * @example
 * const autoLock = createAutoLock({ idleMs: 15 * 60_000, onIdle: () => session.lock() });
 * addEventListener("pointerdown", () => autoLock.touch());
 */
export function createAutoLock({
  idleMs = DEFAULT_IDLE_MS,
  onIdle,
  now = Date.now,
}: CreateAutoLockParameters): AutoLock {
  if (!(idleMs > 0)) throw new RangeError(`idleMs must be positive; got ${idleMs}`);
  let last = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;

  const fire = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    onIdle();
  };
  const arm = (delay: number) => {
    clearTimeout(timer);
    // setTimeout holds at most 2^31 - 1 ms; a longer idle time re-arms when that passes.
    timer = setTimeout(check, Math.min(delay, 2 ** 31 - 1));
  };
  const check = () => {
    const left = last + idleMs - now();
    if (left <= 0) fire();
    else arm(left);
  };
  arm(idleMs);

  return {
    touch() {
      if (done) return;
      if (now() - last >= idleMs) return fire();
      last = now();
      arm(idleMs);
    },
    stop() {
      done = true;
      clearTimeout(timer);
    },
  };
}
