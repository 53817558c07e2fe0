/**
 * Wakes the realtime loop: at once when a new-head notification has arrived (a WebSocket
 * subscription), else after the polling interval. A notification that arrives while the loop is
 * indexing is remembered, so the next wait returns at once rather than missing it.
 *
 * @example
 * const heads = new HeadSignal();
 * const stop = subscribe(() => heads.notify());
 * await heads.wait(1_000, signal); // a new head, the interval, or an abort
 */
export class HeadSignal {
  private notified = false;
  private wake: (() => void) | undefined;

  notify(): void {
    this.notified = true;
    this.wake?.();
  }

  async wait(intervalMs: number, signal: AbortSignal): Promise<void> {
    if (!this.notified && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, intervalMs);
        signal.addEventListener("abort", done, { once: true });
        this.wake = done;
      });
    }
    this.notified = false;
  }
}
