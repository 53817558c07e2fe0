// The load generator of `scripts/bench/node.ts`, run as a child (fork, IPC) so that it does not share
// a CPU's event loop with the node or the chain: autocannon GETs /v1/accounts/:address for random
// holders. Configuration: the first IPC message, `{ type: "config", config: LoadConfig }` (a thousand
// addresses are too long for a command line); the result goes back as one IPC message.
import { createRequire } from "node:module";
import { ROUTES, routePath } from "../../protocol/routes.ts";

// autocannon ships no types: the little of its API used here, typed locally.
interface Histogram {
  average: number;
  total: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: { method: string; setupRequest: (request: { path: string }) => { path: string } }[];
}
const autocannon = createRequire(import.meta.url)("autocannon") as (
  options: AutocannonOptions,
) => Promise<AutocannonResult>;

export interface LoadConfig {
  url: string;
  addresses: string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

process.on("disconnect", () => process.exit(1));
const config = await new Promise<LoadConfig>((resolve) =>
  process.once("message", (message: { config: LoadConfig }) => resolve(message.config)),
);

// mulberry32: a cheap seeded generator, so that the path choice costs next to nothing.
let seed = 7;
function pick(): string {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const index = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * config.addresses.length);
  return routePath(ROUTES.account, { address: config.addresses[index] as string });
}

async function run(durationSeconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: config.url,
    connections: config.connections,
    duration: durationSeconds,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          request.path = pick();
          return request;
        },
      },
    ],
  });
}

try {
  if (config.warmupSeconds > 0) await run(config.warmupSeconds);
  const result = await run(config.durationSeconds);
  const message: LoadResult = {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.send?.({ type: "result", result: message }, () => process.exit(0));
} catch (error) {
  process.send?.({ type: "error", message: String(error) }, () => process.exit(1));
}
