// `gram-node` as a user runs it: bin/gram-node in a child process with a clean environment, its JSON log
// records collected as they come, and "serving" awaited. The one starter of the node's binary for the
// tests and the benchmarks; `startGramNode` adds the relayer's key file and the usual flags.
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hex } from "viem";

export const GRAM_NODE_BIN = join(import.meta.dirname, "../../bin/gram-node");

/** What gram-node's log records hold; read field by field. */
// biome-ignore lint/suspicious/noExplicitAny: records are asserted on field by field.
export type NodeRecord = any;

export interface NodeProcess {
  child: ChildProcess;
  /** When it was spawned (performance.now()). */
  spawnedAt: number;
  /** The URL from its "serving" record; rejects when it exits first or does not serve within 30 s. */
  ready: Promise<string>;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  /** Its JSON log records so far. */
  records(): NodeRecord[];
  /** Calls `listener` on each JSON record as it arrives. */
  onRecord(listener: (record: NodeRecord) => void): void;
  /** SIGTERM (SIGKILL after 5 s), then its exit; nothing when it has exited already. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every gram-node this process spawned that still runs: for `afterEach` and a benchmark's Ctrl-C. */
export function killAll() {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/**
 * Spawns `bin/gram-node args…` with only PATH, HOME and `env` in its environment, so that the caller's
 * GRAM_* variables never leak in.
 *
 * @example
 * const node = spawnGramNode(["--rpc", url, "--data-dir", dir, "--deployments", deployments, "--port", "0"]);
 * const nodeUrl = await node.ready;
 */
export function spawnGramNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): NodeProcess {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [GRAM_NODE_BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  let pending = "";
  const records: NodeRecord[] = [];
  const listeners: ((record: NodeRecord) => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const record = JSON.parse(line);
      records.push(record);
      for (const listener of listeners) listener(record);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gram-node did not start:\n${output}`)), 30_000);
    listeners.push((record) => {
      if (record.msg === "serving") {
        clearTimeout(timer);
        resolve(record.url);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gram-node exited with ${code ?? child.signalCode} before serving:\n${output}`));
    });
  });
  // A run that is expected to fail is never awaited for readiness.
  ready.catch(() => {});
  return {
    child,
    spawnedAt,
    ready,
    exited,
    output: () => output,
    records: () => records,
    onRecord: (listener) => listeners.push(listener),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface StartGramNodeParameters {
  /** The chain's JSON-RPC URL. */
  rpc: string;
  /** The folder holding `<chainId>.json`. */
  deployments: string;
  /** Where `relayer.key` (mode 0600) and the node's data folder `node-data` are written. */
  dir: string;
  /** The relayer's private key: the node relays when it is given. */
  relayerKey?: Hex;
  /** More flags, after the ones above, so that they override them. */
  flags?: readonly string[];
}

/**
 * gram-node on `rpc` (API on a free port, data in `<dir>/node-data`, relaying with `relayerKey`), resolved
 * once it serves; a node that does not serve is stopped before the error is thrown.
 *
 * @example
 * const node = await startGramNode({ rpc: chain.url, deployments, dir: temp, relayerKey, flags: ["--finality", "5"] });
 * console.log(node.url);
 */
export async function startGramNode({
  rpc,
  deployments,
  dir,
  relayerKey,
  flags = [],
}: StartGramNodeParameters): Promise<NodeProcess & { url: string }> {
  const relaying: string[] = [];
  if (relayerKey !== undefined) {
    const keyFile = join(dir, "relayer.key");
    await writeFile(keyFile, `${relayerKey}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o600);
    relaying.push("--relayer-key-file", keyFile);
  }
  // biome-ignore format: one flag and its value a line.
  const node = spawnGramNode([
    "--rpc", rpc,
    "--data-dir", join(dir, "node-data"),
    "--deployments", deployments,
    "--port", "0",
    ...relaying,
    ...flags,
  ]);
  try {
    return { ...node, url: await node.ready };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
