// A misbehaving JSON-RPC endpoint for the node's tests: an HTTP proxy on loopback in front of a real
// node (Hardhat's server) that, for a seeded share of responses, drops the connection, delays, answers
// HTTP 503/429, a JSON-RPC error, truncated or garbled JSON, or rewrites what the node said: a log's
// block hash, a block's hash or parent hash, a log dropped from `eth_getLogs`, a log flagged removed.
// Run as its own process; it only needs Node's built-ins.
//
//   node test/node/proxy/fault-proxy.ts --upstream http://127.0.0.1:8545 --seed 7 --rate 0.2 \
//     --faults drop,delay,http503,http429,rpcError,truncate,garble,logBlockHash,blockHash,parentHash,dropLog,removed
//
// It prints one JSON line on stdout, `{"port":…,"seed":…,"rate":…,"faults":[…]}`, once it listens.
// `GET /__stats` answers how many requests it saw and how many faults of each type it applied.
// Options: --max-delay <ms> (300), --stall <ms> (2500, the `stall` fault's wait before it drops),
// --target-block <n> (content faults only touch block n), --max-faults <n> (stop misbehaving after n),
// --methods <m1,m2> (only requests of these JSON-RPC methods misbehave), --max-log-range <n> (refuse,
// as providers do, every eth_getLogs over more than n blocks, with --range-error-code: -32005 as
// Infura's "query returned more than 10000 results", -32602 as Alchemy's "Log response size exceeded",
// any other code as QuickNode's -32614 "eth_getLogs is limited to a 10,000 range").
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";

/** Faults decided before the request reaches the node: the answer never comes from it. */
const TRANSPORT = ["drop", "stall", "http503", "http429", "rpcError"] as const;
/** Faults applied to the node's answer as a whole. */
const BODY = ["delay", "truncate", "garble"] as const;
/** Faults that rewrite one JSON-RPC result: they apply only to results they fit. */
const CONTENT = ["logBlockHash", "blockHash", "parentHash", "dropLog", "removed"] as const;
const FAULTS = [...TRANSPORT, ...BODY, ...CONTENT] as const;
export type Fault = (typeof FAULTS)[number];

const { values } = parseArgs({
  options: {
    upstream: { type: "string" },
    seed: { type: "string", default: "1" },
    rate: { type: "string", default: "0.2" },
    faults: { type: "string", default: FAULTS.filter((f) => f !== "stall").join(",") },
    "max-delay": { type: "string", default: "300" },
    stall: { type: "string", default: "2500" },
    "target-block": { type: "string" },
    "max-faults": { type: "string" },
    methods: { type: "string" },
    "max-log-range": { type: "string" },
    "range-error-code": { type: "string", default: "-32005" },
    port: { type: "string", default: "0" },
  },
});
if (values.upstream === undefined) {
  process.stderr.write("fault-proxy: --upstream <url> is required\n");
  process.exit(2);
}
const upstream = values.upstream;
const seed = Number(values.seed);
const rate = Number(values.rate);
const maxDelay = Number(values["max-delay"]);
const stallMs = Number(values.stall);
const targetBlock = values["target-block"] === undefined ? undefined : Number(values["target-block"]);
const methods = values.methods === undefined ? undefined : new Set(values.methods.split(","));
const maxLogRange = values["max-log-range"] === undefined ? undefined : Number(values["max-log-range"]);
const rangeErrorCode = Number(values["range-error-code"]);
let budget = values["max-faults"] === undefined ? Number.POSITIVE_INFINITY : Number(values["max-faults"]);
const enabled = values.faults
  .split(",")
  .map((f) => f.trim())
  .filter(Boolean) as Fault[];
for (const fault of enabled) {
  if (!(FAULTS as readonly string[]).includes(fault)) {
    process.stderr.write(`fault-proxy: unknown fault ${fault}; known: ${FAULTS.join(", ")}\n`);
    process.exit(2);
  }
}

/** mulberry32: the same seed gives the same sequence of decisions. */
function random(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rng = random(seed);
const int = (n: number) => Math.floor(rng() * n);
const fakeHash = () => `0x${Array.from({ length: 64 }, () => "0123456789abcdef"[int(16)]).join("")}`;

const stats = {
  requests: 0,
  refusedRanges: 0,
  faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
};

/**
 * One fault for this request, or none: `rate` of requests misbehave, the type drawn uniformly. With
 * --methods, only requests of those methods (a batch: any of them) do.
 */
function draw(requests: readonly JsonRpcRequest[]): Fault | undefined {
  if (methods !== undefined && !requests.some((r) => methods.has(r.method ?? ""))) return undefined;
  // Content faults are drawn only for answers they can rewrite: every draw misbehaves.
  const fits = enabled.filter((fault) => requests.some((r) => fitsMethod(fault, r.method)));
  if (budget <= 0 || fits.length === 0 || rng() >= rate) return undefined;
  return fits[int(fits.length)];
}

const LOG_FAULTS: readonly Fault[] = ["logBlockHash", "dropLog", "removed"];
const BLOCK_FAULTS: readonly Fault[] = ["blockHash", "parentHash"];
function fitsMethod(fault: Fault, method: string | undefined): boolean {
  if (LOG_FAULTS.includes(fault)) return method === "eth_getLogs";
  if (BLOCK_FAULTS.includes(fault)) return method === "eth_getBlockByNumber" || method === "eth_getBlockByHash";
  return true;
}
function applied(fault: Fault) {
  stats.faults[fault]++;
  budget--;
}

type JsonRpcRequest = { id?: unknown; method?: string; params?: unknown };
type JsonRpcResponse = { id?: unknown; result?: unknown; error?: unknown };
type RpcLog = { blockNumber?: string; blockHash?: string; removed?: boolean };
type RpcBlock = { number?: string; hash?: string; parentHash?: string };

const aboutTarget = (number: string | undefined) => targetBlock === undefined || Number(number) === targetBlock;

/** Rewrites one result as `fault` says; false when the result has nothing the fault fits. */
function rewrite(fault: Fault, method: string | undefined, response: JsonRpcResponse): boolean {
  const result = response.result;
  if (method === "eth_getLogs" && Array.isArray(result)) {
    const logs = (result as RpcLog[]).filter((log) => aboutTarget(log.blockNumber));
    const log = logs[int(logs.length)];
    if (log === undefined) return false;
    if (fault === "logBlockHash") log.blockHash = fakeHash();
    else if (fault === "removed") log.removed = true;
    else if (fault === "dropLog") response.result = (result as RpcLog[]).filter((l) => l !== log);
    else return false;
    return true;
  }
  if ((method === "eth_getBlockByNumber" || method === "eth_getBlockByHash") && result && typeof result === "object") {
    const block = result as RpcBlock;
    if (!aboutTarget(block.number)) return false;
    if (fault === "blockHash") block.hash = fakeHash();
    else if (fault === "parentHash") block.parentHash = fakeHash();
    else return false;
    return true;
  }
  return false;
}

/** A provider's refusal of an eth_getLogs range wider than --max-log-range, or undefined. */
function refuseRange(requests: readonly JsonRpcRequest[]) {
  for (const request of requests) {
    if (request.method !== "eth_getLogs" || !Array.isArray(request.params)) continue;
    const filter = request.params[0] as { fromBlock?: string; toBlock?: string } | undefined;
    if (filter?.fromBlock === undefined || filter.toBlock === undefined) continue;
    const blocks = Number(filter.toBlock) - Number(filter.fromBlock) + 1;
    if (!(blocks > (maxLogRange as number))) continue;
    stats.refusedRanges++;
    const message =
      rangeErrorCode === -32602
        ? "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response."
        : rangeErrorCode === -32005
          ? `query returned more than 10000 results. Try with this block range [${filter.fromBlock}, ${filter.toBlock}].`
          : "eth_getLogs is limited to a 10,000 range";
    return { jsonrpc: "2.0", id: request.id ?? null, error: { code: rangeErrorCode, message } };
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function reply(res: ServerResponse, status: number, body: string, type = "application/json") {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.method === "GET" && req.url === "/__stats") return reply(res, 200, JSON.stringify(stats));
  const body = await readBody(req);
  stats.requests++;
  let parsed: JsonRpcRequest | JsonRpcRequest[] | undefined;
  try {
    parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
  } catch {
    parsed = undefined;
  }
  const requests = Array.isArray(parsed) ? parsed : parsed === undefined ? [] : [parsed];

  const refusal = maxLogRange === undefined ? undefined : refuseRange(requests);
  if (refusal !== undefined) return reply(res, 200, JSON.stringify(Array.isArray(parsed) ? [refusal] : refusal));

  // One draw decides what happens to the whole HTTP exchange; content faults are drawn per result.
  const fault = draw(requests);
  if (fault !== undefined && (TRANSPORT as readonly string[]).includes(fault)) {
    applied(fault);
    if (fault === "drop") return req.socket.destroy();
    if (fault === "stall") {
      await sleep(stallMs);
      return req.socket.destroy();
    }
    if (fault === "http503") return reply(res, 503, "service unavailable", "text/plain");
    if (fault === "http429") return reply(res, 429, JSON.stringify({ error: "too many requests" }));
    const error = (id: unknown) => ({
      jsonrpc: "2.0",
      id: id ?? null,
      error: int(2) === 0 ? { code: -32603, message: "internal error" } : { code: -32000, message: "header not found" },
    });
    return reply(
      res,
      200,
      JSON.stringify(Array.isArray(parsed) ? requests.map((r) => error(r.id)) : error(parsed?.id)),
    );
  }

  let upstreamStatus: number;
  let text: string;
  try {
    const answer = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
    upstreamStatus = answer.status;
    text = await answer.text();
  } catch (error) {
    return reply(res, 502, JSON.stringify({ error: `fault-proxy: upstream failed: ${String(error)}` }));
  }

  if (fault === "delay") {
    applied(fault);
    await sleep(int(maxDelay + 1));
  } else if (fault === "truncate" && text.length > 1) {
    applied(fault);
    // Any proper prefix of a JSON object or array is invalid JSON.
    text = text.slice(0, 1 + int(text.length - 1));
  } else if (fault === "garble") {
    applied(fault);
    text = int(2) === 0 ? "<html><body>502 Bad Gateway</body></html>" : text.replace(":", ";");
  } else if (fault !== undefined && (CONTENT as readonly string[]).includes(fault)) {
    try {
      const answer = JSON.parse(text) as JsonRpcResponse | JsonRpcResponse[];
      const responses = Array.isArray(answer) ? answer : [answer];
      const methodOf = new Map(requests.map((r) => [JSON.stringify(r.id), r.method]));
      // In a batch, the first result the fault fits takes it.
      for (const response of responses) {
        const method = methodOf.get(JSON.stringify(response.id));
        if (methods !== undefined && !methods.has(method ?? "")) continue;
        if (rewrite(fault, method, response)) {
          applied(fault);
          break;
        }
      }
      text = JSON.stringify(answer);
    } catch {
      // Not JSON from upstream: pass it through as it is.
    }
  }
  return reply(res, upstreamStatus, text);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) reply(res, 500, JSON.stringify({ error: String(error) }));
    else res.destroy();
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(values.port), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, seed, rate, faults: enabled })}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
