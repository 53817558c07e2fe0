// The stack a demo plays on when it brings its own: `scripts/start.ts` as a child process, on free loopback
// ports, with its deployment record and demo folder (wallet, node data) in a fresh temporary folder, so
// that it never touches `deployments/` or `.demo/` and leaves nothing behind. None of the caller's GRAM_*
// settings reach it: they describe the user's own stack, not this one.
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where a stack is reached: what `npm start` prints as GRAM_NODE, GRAM_RPC, GRAM_HOME, GRAM_DEPLOYMENTS_DIR. */
export interface Endpoints {
  node: string;
  rpc: string;
  home: string;
  deployments: string;
}

export interface EmbeddedStack {
  endpoints: Endpoints;
  /** Everything the stack printed, for an error report. */
  output(): string;
  /** SIGINT (start.ts stops the node, then the chain), waits for the exit, removes the folder. Idempotent. */
  stop(): Promise<void>;
}

const START_SCRIPT = join(import.meta.dirname, "..", "start.ts");
/** A stack that has not stopped this long after SIGINT is killed. */
const STOP_TIMEOUT_MS = 15_000;
/**
 * The folder is removed while the node may still be writing its LevelDB there: after a SIGKILL to start.ts,
 * the node (in a process group of its own) stops by itself within about a second. Retried that long.
 */
const RM_OPTIONS = { recursive: true, force: true, maxRetries: 10, retryDelay: 200 } as const;

export interface StartEmbeddedStackParameters {
  readyTimeoutMs: number;
  /** Aborted before the stack is ready (a Ctrl-C): the starting stack is stopped, and the call rejects. */
  signal?: AbortSignal;
}

/**
 * Spawns `start.ts --port 0 --node-port 0` and resolves once it prints `gram: ready`, with the endpoints
 * of its `export …` line. Rejects, with the stack's output, if it exits first or is not ready in time; with
 * the signal's reason, once the stack has stopped, if `signal` is aborted first.
 *
 * @example
 * const stack = await startEmbeddedStack({ readyTimeoutMs: 60_000 });
 * try { await play(stack.endpoints); } finally { await stack.stop(); }
 */
export async function startEmbeddedStack({
  readyTimeoutMs,
  signal,
}: StartEmbeddedStackParameters): Promise<EmbeddedStack> {
  signal?.throwIfAborted();
  const dir = await mkdtemp(join(tmpdir(), "gram-demo-"));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GRAM_")));
  const child = spawn(process.execPath, [START_SCRIPT, "--port", "0", "--node-port", "0"], {
    env: {
      ...inherited,
      GRAM_DEMO_DIR: join(dir, "demo"),
      GRAM_DEPLOYMENTS_DIR: dir,
      // start.ts stops itself (the node, then the chain) once this process is gone, even by SIGKILL.
      GRAM_PARENT_PID: String(process.pid),
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: a Ctrl-C in the terminal reaches the demo alone, which then stops the stack in
    // order (start.ts stops the node, then the chain) instead of every process at once.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  // The last resort if the demo exits without stopping it (an uncaught error, a second Ctrl-C): start.ts is
  // killed (its node sees it gone and stops), and the folder is removed as far as it can be at once.
  const killOnExit = () => {
    killGroup(child);
    try {
      rmSync(dir, RM_OPTIONS);
    } catch {
      // Exiting: nothing more can be done.
    }
  };
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (running(child)) {
        child.kill("SIGINT");
        const timer = setTimeout(() => killGroup(child), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener("exit", killOnExit);
      await rm(dir, RM_OPTIONS);
    })();
    return stopping;
  };

  try {
    await ready(child, exited, () => output, readyTimeoutMs, signal);
    return { endpoints: endpointsOf(output), output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * SIGKILL to the stack's process group: start.ts and anything it left there. Not the node: start.ts runs it
 * in a process group of its own, and it stops by itself within about a second once start.ts is gone.
 */
function killGroup(child: ChildProcess) {
  if (child.pid === undefined || !running(child)) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function ready(
  child: ChildProcess,
  exited: Promise<void>,
  output: () => string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack was not ready after ${timeoutMs / 1000} s:\n${tail(output())}`)),
      timeoutMs,
    );
    const aborted = () => reject(signal?.reason);
    signal?.addEventListener("abort", aborted, { once: true });
    const settled = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
    };
    const check = () => {
      if (!/^gram: ready /m.test(output())) return;
      settled();
      resolve();
    };
    child.stdout?.on("data", check);
    void exited.then(() => {
      settled();
      reject(
        new Error(`the stack exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(output())}`),
      );
    });
    if (signal?.aborted) aborted();
  });
}

/** The `export GRAM_HOME=… GRAM_NODE=… GRAM_RPC=… GRAM_DEPLOYMENTS_DIR=…` line start.ts prints. */
function endpointsOf(output: string): Endpoints {
  const line = /^\s*export (.+)$/m.exec(output)?.[1];
  const env = Object.fromEntries((line ?? "").split(" ").map((pair) => pair.split("=", 2)));
  const { GRAM_NODE: node, GRAM_RPC: rpc, GRAM_HOME: home, GRAM_DEPLOYMENTS_DIR: deployments } = env;
  if (node === undefined || rpc === undefined || home === undefined || deployments === undefined) {
    throw new Error(
      `the stack printed no 'export GRAM_HOME=… GRAM_NODE=… GRAM_RPC=… GRAM_DEPLOYMENTS_DIR=…' line:\n${tail(output)}`,
    );
  }
  return { node, rpc, home, deployments };
}

/** The last lines of a long output: where a failure shows. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
