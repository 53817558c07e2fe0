/**
 * One shutdown registry per process, as Ponder's `internal/shutdown.ts`: every part that must stop
 * registers a callback; `kill` aborts the shared signal (long-running loops watch it), then runs the
 * callbacks one at a time, the last registered first, so parts close in the reverse of the order they
 * were opened: the server stops taking requests before the store it reads is closed.
 */
export interface Shutdown {
  /** Aborted when the shutdown starts. */
  readonly signal: AbortSignal;
  readonly isKilled: boolean;
  /** Runs `callback` at shutdown; at once (and awaited by the running `kill`) when it has started. */
  add(name: string, callback: () => unknown): void;
  /** Starts the shutdown (once) and resolves when every callback has run; failures are reported, not thrown. */
  kill(): Promise<void>;
}

export interface CreateShutdownParameters {
  /** A callback that threw; the others still run. */
  onError?: (name: string, error: unknown) => void;
}

/**
 * @example
 * const shutdown = createShutdown();
 * const store = await openStore({ path });
 * shutdown.add("store", () => store.close());
 * process.once("SIGTERM", () => void shutdown.kill());
 */
export function createShutdown({ onError = () => {} }: CreateShutdownParameters = {}): Shutdown {
  const controller = new AbortController();
  const callbacks: { name: string; callback: () => unknown }[] = [];
  let killing: Promise<void> | undefined;

  const run = async (name: string, callback: () => unknown) => {
    try {
      await callback();
    } catch (error) {
      onError(name, error);
    }
  };

  return {
    signal: controller.signal,
    get isKilled() {
      return controller.signal.aborted;
    },
    add(name, callback) {
      if (killing === undefined) callbacks.push({ name, callback });
      else killing = killing.then(() => run(name, callback));
    },
    kill() {
      killing ??= (async () => {
        controller.abort();
        for (const { name, callback } of callbacks.reverse()) await run(name, callback);
      })();
      return killing;
    },
  };
}
