// withFileLock: one exclusive lock per file shared by every process on the machine, recovered when its
// holder died or, from another host, when it is stale.
import { spawn } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LockTimeoutError } from "../../../wallet/errors.ts";
import { withFileLock } from "../../../wallet/internal/withFileLock.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

describe("the lock file", () => {
  it("recovers a lock left by a process that died", async () => {
    const home = await tempHome();
    const file = join(home, "test.lock");
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    await mkdir(home, { recursive: true });
    await writeFile(file, JSON.stringify({ pid: dead.pid, host: hostname(), createdAt: Date.now() }));
    expect(await withFileLock({ file, timeoutMs: 2000 }, async () => "ran")).toBe("ran");
    expect((await readdir(home)).filter((name) => name.includes("lock"))).toEqual([]);
  });

  it("recovers an old lock from another host, and an old lock with no owner written", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true });
    const file = join(home, "test.lock");
    await writeFile(file, JSON.stringify({ pid: 1, host: "elsewhere", createdAt: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await withFileLock({ file, staleMs: 50, timeoutMs: 2000 }, async () => 1)).toBe(1);
    await writeFile(file, "");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await withFileLock({ file, staleMs: 50, timeoutMs: 2000 }, async () => 2)).toBe(2);
  });

  it("waits for a live holder, and times out with a clear error if it never lets go", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true });
    const file = join(home, "test.lock");
    // This process is alive: its lock is not stale.
    await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname(), createdAt: Date.now() }));
    const error = await failure(
      LockTimeoutError,
      withFileLock({ file, timeoutMs: 100 }, async () => 0),
    );
    expect(error.kind).toBe("failure");
    expect(error.shortMessage).toBe(`${file} has been locked for more than 100 ms`);
  });
});
