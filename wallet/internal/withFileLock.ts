import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { LockTimeoutError } from "../errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "./readBoundedFile.ts";

export interface WithFileLockParameters {
  /** The lock file; it exists exactly while someone holds the lock. */
  file: string;
  /**
   * A lock older than this whose holder cannot be checked (another host) is taken as abandoned.
   * @default 30_000
   */
  staleMs?: number | undefined;
  /** @default 20_000 */
  timeoutMs?: number | undefined;
}

interface LockOwner {
  pid: number;
  host: string;
  createdAt: number;
}

/**
 * Runs `fn` while holding an exclusive lock shared by every process on this machine: a lock file created
 * with `open(…, "wx")`, which the file system lets only one process create. A lock whose holder died (its
 * pid is gone, or it is older than `staleMs` and held from another host) is recovered.
 *
 * @example
 * await withFileLock({ file: `${nonceFile}.lock` }, async () => writeNext(nonce + 1));
 */
export async function withFileLock<T>(
  { file, staleMs = 30_000, timeoutMs = 20_000 }: WithFileLockParameters,
  fn: () => Promise<T>,
): Promise<T> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    if (await tryAcquire(file)) break;
    if (await recoverIfStale(file, staleMs)) continue;
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`${file} has been locked for more than ${timeoutMs} ms`, {
        details: "another gram process is sending from this account",
        hint: `wait for it to finish; if none is running, remove ${file}`,
      });
    }
    // Jittered so that two waiters do not retry in step.
    await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
    wait = Math.min(wait * 2, 50);
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

async function tryAcquire(file: string): Promise<boolean> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), createdAt: Date.now() };
  try {
    const handle = await open(file, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes the lock when its holder is gone; true when it did (or the lock vanished meanwhile). */
async function recoverIfStale(file: string, staleMs: number): Promise<boolean> {
  let seen: Awaited<ReturnType<typeof stat>>;
  let text: string;
  try {
    seen = await stat(file);
    text = await readBoundedFile(file, FILE_BOUNDS.lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
  const owner = parseOwner(text);
  const age = Date.now() - seen.mtimeMs;
  // A holder writes its owner right after creating the file; an empty lock younger than a second is
  // being written, not abandoned.
  if (owner === undefined ? age < Math.min(1000, staleMs) : isAlive(owner, age, staleMs)) return false;

  // Two processes may judge the same lock stale at once. Moving it aside is atomic and only one move can
  // take that file; a process that moved a fresh lock instead (taken meanwhile) puts it back.
  const aside = `${file}.stale.${randomBytes(6).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
  const moved = await stat(aside);
  if (moved.ino !== seen.ino || moved.dev !== seen.dev) {
    await link(aside, file).catch(() => undefined);
  }
  await rm(aside, { force: true });
  return true;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.createdAt === "number") {
      return value as LockOwner;
    }
  } catch {}
  return undefined;
}

function isAlive(owner: LockOwner, age: number, staleMs: number): boolean {
  if (owner.host !== hostname()) return age < staleMs;
  if (owner.pid === process.pid) return age < staleMs;
  try {
    process.kill(owner.pid, 0);
    // The pid runs, but pids are reused: a very old lock is abandoned all the same.
    return age < Math.max(staleMs, 10 * 60_000);
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
