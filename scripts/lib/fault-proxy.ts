// A misbehaving JSON-RPC endpoint for the node's tests and benchmarks: an HTTP proxy on loopback in
// front of a real node (Hardhat's server) that, for a seeded share of responses, drops the connection,
// delays, answers HTTP 503/429, a JSON-RPC error, truncated or garbled JSON, or rewrites what the node
// said: a log's block hash, a block's hash or parent hash, a log dropped from `eth_getLogs`, a log
// flagged removed. Run as its own process (`start-fault-proxy.ts` spawns it); it only needs Node's
// built-ins.
//
//   node scripts/lib/fault-proxy.ts --upstream http://127.0.0.1:8545 --seed 7 --rate 0.2 \
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
//
// `POST /__control` with a JSON object changes, from then on, how the endpoint as a whole behaves
// (fields left out keep their value; the answer is the whole mode):
//   {"stall": true}            every request hangs (held, unanswered) until {"stall": false}, then goes
//                              on to the node: an endpoint that stops answering for a while;
//   {"stall": ["eth_getBlockByNumber"]}  only requests of these methods hang;
//   {"chainId": 31339}         eth_chainId answers 31339: the endpoint now serves another chain (a
//                              fork with its own chain id keeps the blocks it forked from); null: off;
//   {"reject": {"status": 401, "code": -32001, "message": "invalid API key"}}  every request is
//                              answered with that HTTP status and a JSON-RPC error body, as providers
//                              refuse a key; null: off;
//   {"laggingLogs": 2}         the first 2 eth_getLogs requests by block hash for each block answer
//                              `[]`: a load balancer whose backends import a new block at different
//                              moments, one of them answering for a block it does not have yet.
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
  /** eth_getLogs by block hash answered `[]` by `laggingLogs`. */
  laggingLogs: 0,
  /** Requests held by a stall (counted when they arrive). */
  held: 0,
  /** Requests answered by `reject`. */
  rejected: 0,
  chainIdRewrites: 0,
  faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
};

/** How the endpoint as a whole behaves, changed at run time by `POST /__control`. */
export interface FaultProxyMode {
  stall: boolean | string[];
  chainId: number | null;
  reject: { status: number; code: number; message: string } | null;
  laggingLogs: number;
}
const mode: FaultProxyMode = { stall: false, chainId: null, reject: null, laggingLogs: 0 };
/** Requests held by a stall: released (sent on to the node) when it is lifted. */
const held = new Set<() => void>();
/** eth_getLogs requests by block hash answered so far, per block hash (for `laggingLogs`). */
const logRequests = new Map<string, number>();

/** Applies a `POST /__control` body; returns an error message for a field it cannot take. */
function setMode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "expected a JSON object";
  const next = { ...mode, ...(body as Partial<FaultProxyMode>) };
  const stallOk =
    typeof next.stall === "boolean" || (Array.isArray(next.stall) && next.stall.every((m) => typeof m === "string"));
  if (!stallOk) return "stall: expected true, false or a list of method names";
  if (next.chainId !== null && !(Number.isInteger(next.chainId) && next.chainId > 0))
    return "chainId: expected a positive integer or null";
  if (
    next.reject !== null &&
    !(
      Number.isInteger(next.reject?.status) &&
      Number.isInteger(next.reject?.code) &&
      typeof next.reject?.message === "string"
    )
  )
    return "reject: expected { status, code, message } or null";
  if (!(Number.isInteger(next.laggingLogs) && next.laggingLogs >= 0)) return "laggingLogs: expected an integer ≥ 0";
  Object.assign(mode, next);
  if (!isStalled([])) {
    for (const release of held) release();
    held.clear();
  }
  return undefined;
}

/** Whether requests of these methods hang now (with no methods: whether anything does). */
function isStalled(requests: readonly JsonRpcRequest[]): boolean {
  if (mode.stall === true) return true;
  if (mode.stall === false || mode.stall.length === 0) return false;
  if (requests.length === 0) return true;
  const methods = mode.stall;
  return requests.some((r) => methods.includes(r.method ?? ""));
}

/** The answer `mode` gives instead of the node's, if any (a stall is handled apart). */
function modeAnswer(requests: readonly JsonRpcRequest[], batch: boolean): { status: number; body: string } | undefined {
  const wrap = (answers: unknown[]) => JSON.stringify(batch ? answers : answers[0]);
  if (mode.reject !== null) {
    stats.rejected++;
    const { status, code, message } = mode.reject;
    const error = (r: JsonRpcRequest) => ({ jsonrpc: "2.0", id: r.id ?? null, error: { code, message } });
    return { status, body: wrap(requests.length === 0 ? [error({})] : requests.map(error)) };
  }
  // Only a whole request of one kind is answered here; a mixed batch goes to the node as it is.
  if (mode.chainId !== null && requests.length > 0 && requests.every((r) => r.method === "eth_chainId")) {
    stats.chainIdRewrites++;
    const result = `0x${mode.chainId.toString(16)}`;
    return { status: 200, body: wrap(requests.map((r) => ({ jsonrpc: "2.0", id: r.id ?? null, result }))) };
  }
  if (mode.laggingLogs > 0 && requests.length > 0 && requests.every((r) => r.method === "eth_getLogs")) {
    const hashes = requests.map(
      (r) => (Array.isArray(r.params) ? (r.params[0] as { blockHash?: string }) : undefined)?.blockHash,
    );
    if (hashes.every((hash) => typeof hash === "string")) {
      const seen = hashes.map((hash) => logRequests.get(hash as string) ?? 0);
      for (const hash of hashes) logRequests.set(hash as string, (logRequests.get(hash as string) ?? 0) + 1);
      if (seen.every((n) => n < mode.laggingLogs)) {
        stats.laggingLogs++;
        return { status: 200, body: wrap(requests.map((r) => ({ jsonrpc: "2.0", id: r.id ?? null, result: [] }))) };
      }
    }
  }
  return undefined;
}

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
  if (req.method === "POST" && req.url === "/__control") {
    let problem: string | undefined;
    try {
      problem = setMode(JSON.parse(await readBody(req)));
    } catch {
      problem = "expected a JSON object";
    }
    return problem === undefined
      ? reply(res, 200, JSON.stringify(mode))
      : reply(res, 400, JSON.stringify({ error: `fault-proxy: /__control: ${problem}` }));
  }
  const body = await readBody(req);
  stats.requests++;
  let parsed: JsonRpcRequest | JsonRpcRequest[] | undefined;
  try {
    parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
  } catch {
    parsed = undefined;
  }
  const requests = Array.isArray(parsed) ? parsed : parsed === undefined ? [] : [parsed];

  if (isStalled(requests)) {
    stats.held++;
    await new Promise<void>((release) => held.add(release));
  }
  const instead = modeAnswer(requests, Array.isArray(parsed));
  if (instead !== undefined) return reply(res, instead.status, instead.body);

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
