// The `gram` CLI as a user runs it: a child process with only the environment it is given, its output
// collected, killed when it outlives its time. The one way the tests and the benchmarks run `gram`.
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
/** `bin/gram`: the compiled CLI when dist/ holds it, else the TypeScript source. */
export const GRAM_BIN = join(ROOT, "bin/gram");
/** The TypeScript entry, which the tests run unless GRAM_CLI=dist asks for the compiled one. */
export const GRAM_ENTRY =
  process.env.GRAM_CLI === "dist" ? join(ROOT, "dist/wallet/cli/main.js") : join(ROOT, "wallet/cli/main.ts");

export interface RunGramParameters {
  /** Its whole environment besides PATH. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Piped to its stdin, which is then closed; without it stdin stays open and unwritten. */
  input?: string;
  /** Killed (SIGKILL) after this long; its code is then -1. */
  timeoutMs?: number;
  /** The script node runs: GRAM_ENTRY unless given (GRAM_BIN, as a user's shell would). */
  entry?: string;
  /** Gets the child as soon as it is spawned (to stop it on Ctrl-C). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface Run {
  args: string[];
  /** The exit code; -1 when a signal ended it. */
  code: number;
  stdout: string;
  stderr: string;
  /** Spawn to exit, in ms. */
  ms: number;
}

/**
 * Runs `gram args…` and resolves with what it printed and its exit code; never rejects for a non-zero exit.
 *
 * @example
 * const run = await runGram(["balance", "--json"], { env: { GRAM_HOME: home, GRAM_RPC: url } });
 * if (run.code !== 0) console.error(run.stderr);
 */
export function runGram(
  args: string[],
  { env = {}, cwd, input, timeoutMs = 60_000, entry = GRAM_ENTRY, onSpawn }: RunGramParameters = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [entry, ...args], {
      ...(cwd === undefined ? {} : { cwd }),
      env: { PATH: process.env.PATH, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ args, code: code ?? -1, stdout, stderr, ms: performance.now() - started });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}
