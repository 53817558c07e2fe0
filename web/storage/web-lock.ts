// The browser's counterpart of the CLI's file lock (`wallet/internal/withFileLock.ts`): a Web Lock is held
// by one tab (or worker) of the origin at a time, and released when its callback settles or the tab goes
// away, so a closed tab cannot leave a stale lock behind as a crashed process can leave a lock file.

/**
 * Runs `fn` holding the exclusive Web Lock `name`, shared by every tab of this origin.
 *
 * @example
 * await withWebLock("gram:nonce:31337-0xabc…", () => sendWithNextNonce());
 */
export async function withWebLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (locks === undefined) {
    throw new Error("this browser has no Web Locks (navigator.locks): open the app over https or on localhost");
  }
  return locks.request(name, { mode: "exclusive" }, fn) as Promise<T>;
}
