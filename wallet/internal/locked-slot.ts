// A record that one writer at a time reads and replaces: an account's next nonce, a merchant's next invoice
// number. Each store runs the caller's `use` while holding the record's lock (a lock file for the CLI's
// processes, a Web Lock for a browser's tabs, a promise chain in memory), so two senders never both read
// the same value.

/** One record under its lock, as the lock holder sees it. */
export interface LockedSlot<V> {
  /** Where the record lives, for error messages: a file's path, or a store's name and key. */
  where: string;
  /** Undefined when nothing was recorded yet; throws when what was recorded is damaged. */
  read(): Promise<V | undefined>;
  write(value: V): Promise<void>;
}

/**
 * Runs each `use` after the previous one for the same key has finished: the memory stores' lock, for one
 * process (a test, a bot that starts afresh).
 */
export function memoryLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, use: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(use, use);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
