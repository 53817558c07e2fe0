// The indexer against a misbehaving RPC endpoint. The misbehaviour is a wrapper around the real
// loopback client (no proxy process yet): it refuses large log ranges as providers do, garbles block
// hashes in log responses, and fails requests outright. The indexed state must still equal the chain's.
import {
  createPublicClient,
  HttpRequestError,
  http,
  ResourceNotFoundRpcError,
  RpcRequestError,
  TimeoutError,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RangeTooLargeError, RpcError, RpcFatalError } from "../../../node/errors.ts";
import { createIndexer } from "../../../node/indexer/create-indexer.ts";
import { classifyRpcError, type IndexerClient } from "../../../node/indexer/rpc.ts";
import { readEventCount } from "../../../node/store/read-state.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { expectStoreEqualsChain, tempStores } from "../../kit/store.ts";
import { invoiceStory, randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
const stores = tempStores();
let invoices: Awaited<ReturnType<typeof invoiceStory>>;

beforeAll(async () => {
  chain = await startChain();
  await randomTransfers(chain, 7, 12, 8);
  invoices = await invoiceStory(chain, 70);
});
afterAll(async () => {
  await chain?.close();
  await stores.cleanup();
});

type Request = { method: string; params?: unknown };
/** The real client, with `misbehave` choosing per request to throw, or to rewrite the response. */
function wrap(
  misbehave: (request: Request, n: number) => { throws?: Error; rewrite?: (result: unknown) => unknown } | undefined,
) {
  let n = 0;
  const client: IndexerClient = {
    request: (async (request: Request) => {
      const plan = misbehave(request, n++);
      if (plan?.throws) throw plan.throws;
      const result = await chain.client.request(request as never);
      return plan?.rewrite ? plan.rewrite(result) : result;
    }) as IndexerClient["request"],
  };
  return client;
}

async function indexWith(client: IndexerClient) {
  const { store } = await stores.open();
  const indexer = createIndexer({
    client,
    store,
    contracts: { gramToken: chain.token, escrow: chain.escrow },
    fromBlock: chain.deployBlock,
    finality: 2,
    ranges: { initial: 64 },
  });
  await indexer.sync();
  await expectStoreEqualsChain(store, chain, invoices);
  const events = await readEventCount(store);
  await store.close();
  return events;
}

const rangeRefusal = (url: string) =>
  new RpcRequestError({ body: {}, url, error: { code: -32005, message: "query returned more than 10000 results" } });

describe("a misbehaving RPC endpoint (a wrapper around the real client)", () => {
  let reference: number;
  it("reference: the events a well-behaved endpoint yields", async () => {
    reference = await indexWith(chain.client);
    expect(reference).toBeGreaterThan(100);
  });

  it("splits a log range whose answer exceeds the HTTP client's size limit (a real viem client, 64 KiB limit)", async () => {
    const client = createPublicClient({ transport: http(chain.url, { maxResponseBodySize: 64 * 1024 }) });
    expect(await indexWith(client)).toBe(reference);
  });

  it("splits log ranges the endpoint refuses (more than 4 blocks) and indexes the same events", async () => {
    const refused: number[] = [];
    const client = wrap((request) => {
      if (request.method !== "eth_getLogs") return undefined;
      const [filter] = request.params as [{ fromBlock?: string; toBlock?: string }];
      if (filter.fromBlock === undefined || filter.toBlock === undefined) return undefined;
      const blocks = Number(filter.toBlock) - Number(filter.fromBlock) + 1;
      if (blocks <= 4) return undefined;
      refused.push(blocks);
      return { throws: rangeRefusal(chain.url) };
    });
    expect(await indexWith(client)).toBe(reference);
    // The first range is cut short by the finalized block; each refusal halves the next try.
    expect(refused.slice(1, 4)).toEqual([32, 16, 8]);
  });

  it("rejects logs whose block hash is not the block's, refetches, and indexes the same events", async () => {
    let garbled = 0;
    let calls = 0;
    const client = wrap((request) => {
      if (request.method !== "eth_getLogs" || calls++ % 2 !== 0) return undefined;
      return {
        rewrite: (logs) => {
          const list = logs as Array<{ blockHash: string }>;
          if (list.length > 0) garbled++;
          return list.map((log) => ({ ...log, blockHash: `0x${"ab".repeat(32)}` }));
        },
      };
    });
    expect(await indexWith(client)).toBe(reference);
    expect(garbled).toBeGreaterThan(0);
  });

  it("retries failed and timed-out requests with backoff and indexes the same events", async () => {
    let failed = 0;
    const client = wrap((_request, n) => {
      if (n % 4 !== 1) return undefined;
      failed++;
      return {
        throws:
          n % 8 === 1
            ? new TimeoutError({ body: {}, url: chain.url })
            : new HttpRequestError({ url: chain.url, status: 503 }),
      };
    });
    expect(await indexWith(client)).toBe(reference);
    expect(failed).toBeGreaterThan(2);
  });

  // Blooms have false positives: a block whose bloom says the tracked contracts may have logs, and whose
  // logs do not include any, must not be refetched forever. Here every block's bloom says "maybe".
  it("refetches an empty eth_getLogs answer the bloom contradicts, then accepts it after 4 tries", async () => {
    await chain.mine();
    const empty = await chain.client.getBlock();
    const asked = new Map<string, number>();
    const full = `0x${"ff".repeat(256)}`;
    const client = wrap((request) => {
      if (request.method === "eth_getLogs") {
        const hash = (request.params as [{ blockHash?: string }])[0].blockHash;
        if (hash !== undefined) asked.set(hash, (asked.get(hash) ?? 0) + 1);
        return undefined;
      }
      if (request.method !== "eth_getBlockByNumber" && request.method !== "eth_getBlockByHash") return undefined;
      return { rewrite: (block) => (block === null ? null : { ...(block as object), logsBloom: full }) };
    });
    expect(await indexWith(client)).toBe(reference);
    expect(asked.get(empty.hash)).toBe(4);
  });

  it("stops on errors retrying cannot fix", async () => {
    const client = wrap((request) =>
      request.method === "eth_getLogs" ? { throws: new HttpRequestError({ url: chain.url, status: 401 }) } : undefined,
    );
    await expect(indexWith(client)).rejects.toBeInstanceOf(RpcFatalError);
  });

  it("classifies errors: retryable, fatal, or a range to split", () => {
    const url = "http://127.0.0.1:1";
    const kind = (error: unknown, logs = false) => classifyRpcError(error, logs).constructor.name;
    expect(kind(rangeRefusal(url), true)).toBe(RangeTooLargeError.name);
    expect(kind(rangeRefusal(url), false)).toBe(RpcError.name);
    expect(kind(new HttpRequestError({ url, status: 413 }), true)).toBe(RangeTooLargeError.name);
    expect(kind(new HttpRequestError({ url, status: 429 }))).toBe(RpcError.name);
    expect(kind(new HttpRequestError({ url, status: 503 }))).toBe(RpcError.name);
    expect(kind(new HttpRequestError({ url, status: 403 }))).toBe(RpcFatalError.name);
    expect(kind(new RpcRequestError({ body: {}, url, error: { code: -32601, message: "method not found" } }))).toBe(
      RpcFatalError.name,
    );
    // A provider refusing the key answers 401/403 with a JSON-RPC body: viem keeps the status on the
    // RpcRequestError, beneath its own class for the code.
    const keyRefused = (status: number) =>
      new RpcRequestError({ body: {}, url, status, error: { code: -32001, message: "invalid API key" } });
    expect(kind(keyRefused(401))).toBe(RpcFatalError.name);
    expect(kind(new ResourceNotFoundRpcError(keyRefused(403)))).toBe(RpcFatalError.name);
    expect(kind(keyRefused(429))).toBe(RpcError.name);
    expect(classifyRpcError(new ResourceNotFoundRpcError(keyRefused(401))).message).toMatchInlineSnapshot(`
      "the RPC endpoint answered HTTP 401
      Details: invalid API key
      Hint: check --rpc: the URL, its API key and its path"
    `);
    expect(kind(new TimeoutError({ body: {}, url }))).toBe(RpcError.name);
    expect(kind(new TypeError("fetch failed"))).toBe(RpcError.name);
    expect(classifyRpcError(new HttpRequestError({ url, status: 401 })).message).toMatchInlineSnapshot(`
      "the RPC endpoint answered HTTP 401
      Details: HTTP request failed.
      Hint: check --rpc: the URL, its API key and its path"
    `);
  });
});
