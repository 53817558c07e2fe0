// `npm run bench:rpc-stall`: how long `gram-node` takes to say it is stuck, and to say it is well again
// (issue 11, item 4). On Hardhat's chain served on loopback, a block of transfers mined every 250 ms,
// `bin/gram-node` follows the chain through the fault proxy (scripts/lib/fault-proxy.ts) with its
// default flags (polling every second, --rpc-timeout-ms 5000). Each round:
//   1. waits until the node has indexed the head and /healthz answers 200;
//   2. stalls the proxy (every request hangs) and polls /healthz every 20 ms: stall → 503 observed;
//   3. keeps it stalled 3 s more, lifts the stall and polls again: RPC back → 200 observed, then → the
//      head indexed again.
// Prints each round, the medians and the worst, with the machine, and the /healthz and /v1/status
// answers of the first stall. An error (a node that exits, a wait past 60 s) exits non-zero.
//
// Flags: --rounds <n> (5).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Hex } from "viem";
import { ROUTES } from "../../protocol/routes.ts";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { getStatus } from "../../wallet/node/getStatus.ts";
import { http } from "../../wallet/node/http.ts";
import { random } from "../lib/random.ts";
import { type NodeProcess, spawnGramNode } from "../lib/spawn-gram-node.ts";
import { type FaultProxy, startFaultProxy } from "../lib/start-fault-proxy.ts";
import { waitFor } from "../lib/wait-for.ts";
import { type BenchChain, startBenchChain } from "./node-chain.ts";
import { describeMachine, percentile } from "./report.ts";

const BLOCK_EVERY_MS = 250;
const POLL_MS = 20;
const STALL_AFTER_503_MS = 3_000;
const WAIT_LIMIT_MS = 60_000;

const { values } = (() => {
  try {
    return parseArgs({ options: { rounds: { type: "string", default: "5" } } });
  } catch (error) {
    console.error(`bench:rpc-stall: ${(error as Error).message}; expected --rounds <n>`);
    process.exit(2);
  }
})();
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) {
  console.error(`bench:rpc-stall: --rounds: got '${values.rounds}', expected an integer 1..100`);
  process.exit(2);
}

const machine = describeMachine();
let chain: BenchChain | undefined;
let proxy: FaultProxy | undefined;
let node: NodeProcess | undefined;
let temp: string | undefined;
let mining = true;

async function cleanup() {
  mining = false;
  await node?.stop();
  await proxy?.stop().catch(() => {});
  await chain?.close().catch(() => {});
  if (temp !== undefined) await rm(temp, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void cleanup().finally(() => process.exit(130)));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `/healthz` as an operator's probe sees it, status and body: what this bench measures. */
async function healthz(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${ROUTES.healthz}`);
  return { status: response.status, body: await response.json() };
}

/** Polls until `condition` holds; the time it took, in ms. */
async function until(what: string, condition: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  await waitFor(
    async () => {
      if (node?.child.exitCode !== null)
        throw new Error(`the node exited (${node?.child.exitCode}) while waiting for ${what}`);
      return condition().catch(() => false);
    },
    WAIT_LIMIT_MS,
    what,
    POLL_MS,
  );
  return performance.now() - started;
}

/** Spawns bin/gram-node with its default flags on `rpc`; resolves with its URL once it serves. */
async function startNode(rpc: string, deployments: string, dataDir: string): Promise<string> {
  node = spawnGramNode(["--rpc", rpc, "--data-dir", dataDir, "--deployments", deployments, "--port", "0"]);
  return node.ready;
}

async function synced(url: string): Promise<boolean> {
  const head = await (chain as BenchChain).rpc<{ number: Hex; hash: Hex }>("eth_getBlockByNumber", ["latest", false]);
  const status = await getStatus(createNodeClient({ transport: http(url) }));
  return status.indexedBlock === Number(head.number) && status.indexedHash === head.hash;
}

try {
  chain = await startBenchChain({ holders: 20 });
  temp = await mkdtemp(join(tmpdir(), "gram-bench-stall-"));
  const deployments = join(temp, "deployments");
  await mkdir(deployments);
  await writeFile(join(deployments, `${chain.chainId}.json`), JSON.stringify(chain.deployment));
  proxy = await startFaultProxy({ upstream: chain.url });
  const url = await startNode(proxy.url, deployments, join(temp, "data"));

  // The chain keeps moving, stall or not: a block of 3 transfers every 250 ms.
  const rng = random(11);
  const holders = chain.holders;
  const miner = (async () => {
    while (mining) {
      const transfers = Array.from({ length: 3 }, () => ({
        from: rng.pick(holders),
        to: rng.pick(holders),
        value: BigInt(1 + rng.int(1_000)),
      }));
      await (chain as BenchChain).mineBlock(transfers);
      await sleep(BLOCK_EVERY_MS);
    }
  })();

  const results: { to503: number; to200: number; toSynced: number; blocks: number }[] = [];
  let firstStall: { healthz: unknown; status: unknown } | undefined;
  for (let round = 0; round < rounds; round++) {
    await until("a synced node", () => synced(url));
    await until("/healthz 200", async () => (await healthz(url)).status === 200);
    const headBefore = Number(await chain.rpc<Hex>("eth_blockNumber"));
    await proxy.control({ stall: true });
    const to503 = await until("/healthz 503", async () => (await healthz(url)).status === 503);
    if (firstStall === undefined) {
      firstStall = {
        healthz: (await healthz(url)).body,
        status: await getStatus(createNodeClient({ transport: http(url) })),
      };
    }
    await sleep(STALL_AFTER_503_MS);
    const blocks = Number(await chain.rpc<Hex>("eth_blockNumber")) - headBefore;
    await proxy.control({ stall: false });
    const back = performance.now();
    const to200 = await until("/healthz 200", async () => (await healthz(url)).status === 200);
    await until("a synced node", () => synced(url));
    const toSynced = performance.now() - back;
    results.push({ to503, to200, toSynced, blocks });
    console.log(
      `round ${round + 1}: stall → 503 in ${(to503 / 1000).toFixed(2)} s; RPC back → 200 in ${(to200 / 1000).toFixed(2)} s, → head indexed in ${(toSynced / 1000).toFixed(2)} s (${blocks} blocks mined during the stall)`,
    );
  }
  mining = false;
  await miner;

  const row = (name: string, values: number[]) =>
    `| ${name} | ${(percentile(values, 50) / 1000).toFixed(2)} s | ${(Math.max(...values) / 1000).toFixed(2)} s |`;
  console.log(
    `\nbench:rpc-stall: ${rounds} rounds, gram-node with default flags (stall window 10 s, --rpc-timeout-ms 5000)`,
  );
  console.log(
    `machine: ${machine.cpus} cores ${machine.model}, ${machine.memory}, Node ${machine.node}, load ${machine.load}, ${machine.date}`,
  );
  console.log("\n| measure | median | worst |\n| --- | ---: | ---: |");
  console.log(
    row(
      "RPC stall starts → /healthz 503 observed",
      results.map((r) => r.to503),
    ),
  );
  console.log(
    row(
      "RPC answers again → /healthz 200 observed",
      results.map((r) => r.to200),
    ),
  );
  console.log(
    row(
      "RPC answers again → head indexed",
      results.map((r) => r.toSynced),
    ),
  );
  console.log("\nThe first stall, as the node told it:");
  console.log(`GET /healthz → ${JSON.stringify(firstStall?.healthz)}`);
  console.log(`GET /v1/status → ${JSON.stringify(firstStall?.status)}`);
  await cleanup();
} catch (error) {
  console.error(`bench:rpc-stall: ${error instanceof Error ? error.message : String(error)}`);
  await cleanup();
  process.exit(1);
}
