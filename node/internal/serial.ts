// Tasks run one at a time, in the order they were given: the hub's per-sender sends, the relayer's
// transactions (one nonce after the other), and the indexer events the stream and the hub's statuses
// publish. A task's failure belongs to its caller; it never stops the tasks queued after it.

const ignore = () => {};

/**
 * A queue of one: `run(task)` starts `task` once every task given before it has settled, and returns its
 * result.
 *
 * @example
 * const run = createSerial();
 * const receipt = await run(() => send(tx));
 */
export function createSerial() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = tail.then(task);
    tail = result.then(ignore, ignore);
    return result;
  };
}

/**
 * One queue per key: tasks of the same key run one at a time, tasks of different keys side by side. A key
 * with nothing queued is forgotten, so the keys seen do not pile up in memory.
 *
 * @example
 * const run = createKeyedSerial();
 * await run(`send:${address}`, () => store(message));
 */
export function createKeyedSerial() {
  const tails = new Map<string, Promise<void>>();
  return function run<T>(key: string, task: () => T | Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
    const settled = result.then(ignore, ignore);
    tails.set(key, settled);
    void settled.then(() => tails.get(key) === settled && tails.delete(key));
    return result;
  };
}
