// The web app's build (Vite, web/vite.config.ts) into web/dist/, skipped when the output is newer than
// every source it is built from: web/, protocol/, wallet/ and the lockfile. `npm start`, `npm run
// build:web`, the benchmark and the browser tests all build through here.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "../..");
/** Where the built app goes: what gram-node serves by default. */
export const WEB_DIST = join(REPO, "web/dist");
const VITE = join(REPO, "node_modules/vite/bin/vite.js");
const SOURCES = ["web", "protocol", "wallet", "package-lock.json"];
const SKIPPED = new Set(["dist", "node_modules", "cli"]);

export interface BuildWebResult {
  dir: string;
  /** False when the output was up to date and nothing was built. */
  built: boolean;
  ms: number;
}

/**
 * Builds the web app unless web/dist/index.html is newer than all its sources (`force` builds anyway).
 *
 * @example
 * const { dir, built } = await buildWeb();
 */
export async function buildWeb({ force = false }: { force?: boolean } = {}): Promise<BuildWebResult> {
  const startedAt = performance.now();
  const index = join(WEB_DIST, "index.html");
  if (!force && existsSync(index)) {
    const builtAt = (await stat(index)).mtimeMs;
    const newest = Math.max(...(await Promise.all(SOURCES.map((source) => newestChange(join(REPO, source))))));
    if (newest < builtAt) return { dir: WEB_DIST, built: false, ms: performance.now() - startedAt };
  }
  // In a child process of its own: a caller's NODE_ENV (vitest sets "test") would give a development build.
  await run(process.execPath, [VITE, "build", "--config", join(REPO, "web/vite.config.ts"), "--logLevel", "warn"]);
  return { dir: WEB_DIST, built: true, ms: performance.now() - startedAt };
}

/** The latest modification time under `path` (a file or a folder), skipping outputs and the CLI. */
async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    newest = Math.max(newest, await newestChange(join(path, entry.name)));
  }
  return newest;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}:\n${output}`)),
    );
  });
}
