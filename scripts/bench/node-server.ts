// The node under benchmark, run as a child of `scripts/bench/node.ts` (fork, IPC): the store, the
// indexer and the API, composed as the node composes them, against the benchmark's chain. It starts
// the API, syncs from whatever the data folder holds to the chain's head, reports `synced` (with the
// time since this process started, the events in the store and its peak RSS), then follows the chain
// in realtime until the parent sends `stop` (or goes away).
//
// Configuration: one JSON argument (see `NodeServerConfig`).
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { createPublicClient, http } from "viem";
import { createApiServer } from "../../node/api/create-api-server.ts";
import { readTokenInfo } from "../../node/api/tokens.ts";
import { createIndexer } from "../../node/indexer/create-indexer.ts";
import { createIndexerEvents } from "../../node/internal/indexer-events.ts";
import { openStore } from "../../node/store/open-store.ts";
import { readEventCount } from "../../node/store/read-state.ts";

export interface NodeServerConfig {
  rpc: string;
  dataDir: string;
  chainId: number;
  token: `0x${string}`;
  escrow: `0x${string}`;
  fromBlock: number;
  finality: number;
  confirmations: number;
  pollingIntervalMs: number;
  /** When set, the sync (only) is CPU-profiled into this folder. */
  profileDir?: string;
}

export type NodeServerMessage =
  | {
      type: "listening";
      port: number;
      /** Milliseconds from process start to this module running: Node's boot and every import. */
      importedMs: number;
      /** … to the API listening (store open, token info read, server built). */
      listeningMs: number;
      maxRssKiB: number;
    }
  | {
      type: "synced";
      /** Milliseconds from this process's start (`performance.timeOrigin`) to synced. */
      sinceStartMs: number;
      /** Milliseconds `indexer.sync()` took: the indexing alone. */
      syncMs: number;
      events: number;
      block: number;
      maxRssKiB: number;
      /** `process.memoryUsage()` at synced, in MiB. */
      memoryMiB: Record<string, number>;
    }
  | { type: "stats"; maxRssKiB: number; rssKiB: number }
  | { type: "error"; message: string };

/**
 * This process's peak RSS in KiB: VmHWM. Not `process.resourceUsage().maxRSS`: Linux carries a forked
 * child's high-water mark across exec, so a child of a big process reports its parent's RSS there.
 */
function peakRssKiB(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match !== null) return Number(match[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

const importedMs = performance.now();
/** Resident memory by kind (Linux): anonymous (heap, native) and file-backed (LevelDB's mmapped tables, code). */
function rssKindsMiB(): Record<string, number> {
  const kinds: Record<string, number> = {};
  try {
    for (const match of readFileSync("/proc/self/status", "utf8").matchAll(
      /^(RssAnon|RssFile|RssShmem):\s+(\d+) kB/gm,
    )) {
      kinds[match[1] as string] = Math.round(Number(match[2]) / 1024);
    }
  } catch {}
  return kinds;
}

const send = (message: NodeServerMessage) => process.send?.(message);
const config = JSON.parse(process.argv[2] ?? "") as NodeServerConfig;

const controller = new AbortController();
let stopping: Promise<void> | undefined;
let running: Promise<void> | undefined;

const store = await openStore({ path: config.dataDir });
// viem refuses HTTP responses over 10 MiB by default, and the indexer's first range (200 blocks of 100
// transfers: 20,000 logs, about 14 MB of JSON) is over it; the indexer does not split a range on that
// error (it is not a RangeTooLargeError), so with the default the node cannot sync this workload. The
// limit is raised here; the node's own transport (node/cli/start-node.ts) needs the same or the split.
const client = createPublicClient({
  transport: http(config.rpc, { timeout: 60_000, maxResponseBodySize: 256 * 1024 * 1024 }),
});
const events = createIndexerEvents();
const indexer = createIndexer({
  client,
  store,
  contracts: { gramToken: config.token, escrow: config.escrow },
  fromBlock: config.fromBlock,
  finality: config.finality,
  pollingIntervalMs: config.pollingIntervalMs,
  // As gram-node starts (node/cli/start-node.ts): a small first range, grown while answers are small.
  ranges: { initial: 20 },
  hooks: events.hooks,
});
const tokens = await readTokenInfo(client, [config.token]);
const app = await createApiServer({
  store,
  indexer,
  events,
  chainId: config.chainId,
  contracts: { tokens, escrow: config.escrow },
  fromBlock: config.fromBlock,
  confirmations: config.confirmations,
});

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    controller.abort();
    await running?.catch(() => {});
    await app.close().catch(() => {});
    await store.close().catch(() => {});
    process.exit(code);
  })();
  return stopping;
}
function fail(error: unknown) {
  send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  void stop(1);
}

process.on("message", (message: { type: string }) => {
  if (message.type === "stop") void stop(0);
  else if (message.type === "stats") {
    send({ type: "stats", maxRssKiB: peakRssKiB(), rssKiB: Math.round(process.memoryUsage.rss() / 1024) });
  }
});
// The parent went away: nothing is left to report to.
process.on("disconnect", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  send({
    type: "listening",
    port: typeof address === "object" && address !== null ? address.port : 0,
    importedMs,
    listeningMs: performance.now(),
    maxRssKiB: peakRssKiB(),
  });
  let profiler: Session | undefined;
  if (config.profileDir !== undefined) {
    profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const started = performance.now();
  const cursor = await indexer.sync(controller.signal);
  const synced = performance.now();
  if (profiler !== undefined && config.profileDir !== undefined) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(join(config.profileDir, `sync-${process.pid}.cpuprofile`), JSON.stringify(profile));
    profiler.disconnect();
  }
  send({
    type: "synced",
    sinceStartMs: synced,
    syncMs: synced - started,
    events: await readEventCount(store),
    block: cursor.number,
    maxRssKiB: peakRssKiB(),
    memoryMiB: {
      ...Object.fromEntries(
        Object.entries(process.memoryUsage()).map(([key, bytes]) => [key, Math.round(bytes / 1024 / 1024)]),
      ),
      ...rssKindsMiB(),
    },
  });
  running = indexer.run(controller.signal);
  running.catch(fail);
} catch (error) {
  fail(error);
}
