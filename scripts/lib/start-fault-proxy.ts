// Starts the misbehaving RPC proxy (fault-proxy.ts, beside this file) as a child process in front of a
// JSON-RPC endpoint, and waits for the port it prints. The node's tests and the benchmarks share it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Fault, FaultProxyMode } from "./fault-proxy.ts";

export type { Fault, FaultProxyMode } from "./fault-proxy.ts";

const PROXY = fileURLToPath(new URL("./fault-proxy.ts", import.meta.url));

export interface FaultProxyOptions {
  /** The endpoint behind the proxy. */
  upstream: string;
  seed?: number;
  /** The share of requests that misbehave (0..1). */
  rate?: number;
  faults?: readonly Fault[];
  /** The `stall` fault's wait before it drops the connection. */
  stallMs?: number;
  targetBlock?: number;
  maxFaults?: number;
  methods?: readonly string[];
  maxLogRange?: number;
  rangeErrorCode?: number;
}

export type FaultProxyStats = {
  requests: number;
  refusedRanges: number;
  laggingLogs: number;
  held: number;
  rejected: number;
  chainIdRewrites: number;
  faults: Record<Fault, number>;
};

export interface FaultProxy {
  url: string;
  seed: number;
  child: ChildProcess;
  stats(): Promise<FaultProxyStats>;
  /** Changes what the proxy does from now on (`POST /__control`); returns the whole mode. */
  control(mode: Partial<FaultProxyMode>): Promise<FaultProxyMode>;
  stop(): Promise<void>;
}

/**
 * Spawns the proxy and resolves once it listens.
 *
 * @example
 * const proxy = await startFaultProxy({ upstream: chain.url, seed: 7, rate: 0.2, faults: ["drop", "http503"] });
 * await proxy.control({ stall: true }); // every request now hangs until { stall: false }
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { seed = 1, rate = 0, faults = [] } = options;
  const args = [PROXY, "--upstream", options.upstream, "--seed", String(seed), "--rate", String(rate)];
  args.push(`--faults=${faults.join(",")}`);
  if (options.stallMs !== undefined) args.push("--stall", String(options.stallMs));
  if (options.targetBlock !== undefined) args.push(`--target-block=${options.targetBlock}`);
  if (options.maxFaults !== undefined) args.push(`--max-faults=${options.maxFaults}`);
  if (options.methods !== undefined) args.push("--methods", options.methods.join(","));
  if (options.maxLogRange !== undefined) args.push("--max-log-range", String(options.maxLogRange));
  if (options.rangeErrorCode !== undefined) args.push(`--range-error-code=${options.rangeErrorCode}`);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const [line] = (await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`fault-proxy exited with ${code} before listening`);
    }),
  ])) as [string];
  const printed = JSON.parse(line) as { port: number; seed: number };
  const url = `http://127.0.0.1:${printed.port}`;
  return {
    url,
    seed: printed.seed,
    child,
    stats: async () => (await (await fetch(`${url}/__stats`)).json()) as FaultProxyStats,
    control: async (mode) => {
      const response = await fetch(`${url}/__control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(mode),
      });
      if (!response.ok)
        throw new Error(`fault-proxy: /__control answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as FaultProxyMode;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
