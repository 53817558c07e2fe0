import {
  BaseError,
  type Hex,
  HttpRequestError,
  type PublicClient,
  ResponseBodyTooLargeError,
  type RpcLog,
  RpcRequestError,
  TimeoutError,
  toHex,
} from "viem";
import { GramNodeError, InconsistentResponseError, RangeTooLargeError, RpcError, RpcFatalError } from "../errors.ts";
import type { BlockRef } from "../store/block.ts";

/** What the indexer needs of a viem client: raw JSON-RPC requests. */
export type IndexerClient = Pick<PublicClient, "request">;

/** A block header as fetched: a `BlockRef` and its logs bloom. */
export interface RemoteBlock extends BlockRef {
  logsBloom: Hex;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** The block with `number`, `hash`, or the latest; undefined when the node does not have it (yet). */
export async function fetchBlock(
  client: IndexerClient,
  which: { number: number } | { hash: Hex } | "latest",
): Promise<RemoteBlock | undefined> {
  const block = await call(() =>
    which === "latest"
      ? client.request({ method: "eth_getBlockByNumber", params: ["latest", false] })
      : "hash" in which
        ? client.request({ method: "eth_getBlockByHash", params: [which.hash, false] })
        : client.request({ method: "eth_getBlockByNumber", params: [toHex(which.number), false] }),
  );
  if (block === null || block === undefined) return undefined;
  const { hash, parentHash, number, logsBloom } = block as {
    hash: unknown;
    parentHash: unknown;
    number: unknown;
    logsBloom: unknown;
  };
  if (
    typeof hash !== "string" ||
    !HASH.test(hash) ||
    typeof parentHash !== "string" ||
    !HASH.test(parentHash) ||
    typeof number !== "string" ||
    typeof logsBloom !== "string"
  ) {
    throw new InconsistentResponseError("a block header is malformed", {
      details: JSON.stringify(block).slice(0, 300),
    });
  }
  const result = {
    number: Number(number),
    hash: hash.toLowerCase() as Hex,
    parentHash: parentHash.toLowerCase() as Hex,
    logsBloom: logsBloom as Hex,
  };
  if (
    which !== "latest" &&
    ("hash" in which ? result.hash !== which.hash.toLowerCase() : result.number !== which.number)
  ) {
    throw new InconsistentResponseError("the node returned another block than asked for", {
      details: `asked for ${JSON.stringify(which)}, got block ${result.number} ${result.hash}`,
    });
  }
  return result;
}

/**
 * The block with `number`, its header confirmed by a second request by hash: a header trusted on one
 * answer would let one garbled hash become the cursor when no log of the block contradicts it. A
 * mismatch (or a block gone by the time of the second request) is an `InconsistentResponseError`, so
 * the caller's retry fetches both again. Undefined when the node does not have the block (yet).
 */
export async function fetchConfirmedBlock(client: IndexerClient, number: number): Promise<RemoteBlock | undefined> {
  const block = await fetchBlock(client, { number });
  if (block === undefined) return undefined;
  const mismatch = await confirmBlock(client, block);
  if (mismatch !== undefined) throw mismatch;
  return block;
}

/**
 * Asks for `block` again by its hash: the same number and parent hash confirm it. Returns what does not
 * match, undefined when all does; failed requests throw (and are retried by the caller).
 */
export async function confirmBlock(
  client: IndexerClient,
  block: RemoteBlock,
): Promise<InconsistentResponseError | undefined> {
  const again = await fetchBlock(client, { hash: block.hash });
  if (again !== undefined && again.number === block.number && again.parentHash === block.parentHash) return undefined;
  return new InconsistentResponseError(`the header of block ${block.number} does not match the block by its hash`, {
    details: `header: ${block.hash} (parent ${block.parentHash}); by its hash: ${
      again === undefined ? "no such block" : `block ${again.number} (parent ${again.parentHash})`
    }`,
  });
}

export type FetchLogsParameters = { addresses: readonly Hex[] } & (
  | { fromBlock: number; toBlock: number }
  | { block: BlockRef }
);

/**
 * The logs of `addresses` in a block range, or in one block by hash. Checks what it gets: every log
 * inside the range, in order, not removed, one hash per block number, the asked block's hash. A
 * response that breaks any of these is rejected (and refetched by the caller's retry).
 */
export async function fetchLogs(client: IndexerClient, params: FetchLogsParameters): Promise<RpcLog[]> {
  const address = [...params.addresses];
  const logs = await call(
    () =>
      "block" in params
        ? client.request({ method: "eth_getLogs", params: [{ address, blockHash: params.block.hash }] })
        : client.request({
            method: "eth_getLogs",
            params: [{ address, fromBlock: toHex(params.fromBlock), toBlock: toHex(params.toBlock) }],
          }),
    { logs: true },
  );
  if (!Array.isArray(logs)) throw new InconsistentResponseError("eth_getLogs returned no array");
  const [from, to] =
    "block" in params ? [params.block.number, params.block.number] : [params.fromBlock, params.toBlock];
  const hashes = new Map<number, string>();
  let previous = -1;
  for (const log of logs as RpcLog[]) {
    const number = Number(log?.blockNumber);
    const index = Number(log?.logIndex);
    const order = number * 1e6 + index;
    const problem =
      typeof log?.blockHash !== "string" || !HASH.test(log.blockHash)
        ? "has no block hash"
        : !(number >= from && number <= to)
          ? `is from block ${number}, outside ${from}..${to}`
          : log.removed === true
            ? "is marked removed"
            : !Number.isInteger(index) || order <= previous
              ? "is out of order"
              : typeof log.data !== "string" || !Array.isArray(log.topics) || typeof log.transactionHash !== "string"
                ? "is malformed"
                : "block" in params && log.blockHash.toLowerCase() !== params.block.hash
                  ? `has block hash ${log.blockHash}, not the block's ${params.block.hash}`
                  : (hashes.get(number) ?? log.blockHash) !== log.blockHash
                    ? `disagrees with another log on the hash of block ${number}`
                    : undefined;
    if (problem !== undefined) {
      throw new InconsistentResponseError(`a log ${problem}`, { details: JSON.stringify(log).slice(0, 300) });
    }
    hashes.set(number, log.blockHash as string);
    previous = order;
  }
  return logs as RpcLog[];
}

export async function fetchChainId(client: IndexerClient): Promise<number> {
  const id = await call(() => client.request({ method: "eth_chainId" }));
  const chainId = Number(id);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InconsistentResponseError("eth_chainId returned no chain id", { details: String(id).slice(0, 100) });
  }
  return chainId;
}

const RANGE_REFUSED =
  /more than \d+ (results|logs)|range|too many|too large|response size|size exceeded|limit exceeded|query timeout|exceed/i;
const RATE_LIMITED = /rate.?limit|request rate|requests per|too many requests|throughput|capacity/i;
/** A block named by hash or number the node does not have (Hardhat: -32602 "blockHash cannot be found"). */
const BLOCK_UNKNOWN = /\b(block ?hash|block|header)\b.*\b(not|cannot be|could not be) found\b|unknown block/i;

/** Runs one request and turns what fails into the node's errors: retryable, fatal, or "split the range". */
async function call<T>(request: () => Promise<T>, { logs = false } = {}): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw classifyRpcError(error, logs);
  }
}

/**
 * What failed, read through the cause chain: viem turns a JSON-RPC error with a standard code into
 * its own class (`LimitExceededRpcError`, `InvalidParamsRpcError`…) that keeps the `RpcRequestError`,
 * and the endpoint's own `{ code, message }` beneath it, only as causes.
 */
function inspect(error: unknown): {
  code: number | undefined;
  status: number | undefined;
  rpcStatus: number | undefined;
  message: string;
} {
  let code: number | undefined;
  let status: number | undefined;
  let rpcStatus: number | undefined;
  let message = firstLine(error instanceof Error ? error.message : String(error));
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === "object" && e !== null && !seen.has(e); e = (e as Error).cause) {
    seen.add(e);
    if (code === undefined && typeof (e as { code?: unknown }).code === "number") code = (e as { code: number }).code;
    if (status === undefined && e instanceof HttpRequestError) status = e.status;
    // A JSON-RPC error body on a non-2xx answer: viem keeps the HTTP status on the RpcRequestError.
    if (rpcStatus === undefined && e instanceof RpcRequestError) rpcStatus = e.status;
    // The endpoint's words: the RpcRequestError's details, or the raw JSON-RPC error it wraps.
    if (e instanceof RpcRequestError && e.details) message = firstLine(e.details);
  }
  return { code, status, rpcStatus, message };
}

/** A provider refusing the URL's key or the caller (401, 403): fatal, whatever body it came with. */
const REFUSED = [401, 403];

export function classifyRpcError(error: unknown, logs = false): GramNodeError {
  if (error instanceof GramNodeError) return error;
  const { code, status, rpcStatus, message } = inspect(error);
  // Other statuses with a JSON-RPC body are read by their code, as on a 200: some providers answer a
  // refused log range or a rate limit with a 400 or a 429 and a JSON-RPC error.
  const refused = [status, rpcStatus].find((s) => s !== undefined && REFUSED.includes(s));
  if (refused !== undefined) return fatalStatus(refused, message, error);
  // viem refuses to read an answer over its size limit (10 MiB by default): a range of that many logs.
  if (logs && error instanceof BaseError && error.walk((e) => e instanceof ResponseBodyTooLargeError)) {
    return new RangeTooLargeError("the log range's answer exceeded the HTTP client's size limit", { cause: error });
  }
  // With a short --rpc-timeout-ms a wide range may take longer than the timeout every time: split it.
  if (logs && error instanceof BaseError && error.walk((e) => e instanceof TimeoutError)) {
    return new RangeTooLargeError("an eth_getLogs request timed out; the range is split", { cause: error });
  }
  if (logs && code !== undefined && !RATE_LIMITED.test(message) && RANGE_REFUSED.test(message)) {
    return new RangeTooLargeError("the RPC endpoint refused the log range", { details: message, cause: error });
  }
  if (status !== undefined) {
    if (logs && status === 413) {
      return new RangeTooLargeError("the RPC endpoint refused the log range as too large", { cause: error });
    }
    if (status >= 400 && status < 500 && ![408, 425, 429].includes(status)) return fatalStatus(status, message, error);
  }
  // A block the node does not know (any more) is a head reorged away between two requests: retried.
  if (code === -32601 || (code === -32602 && !BLOCK_UNKNOWN.test(message))) {
    return new RpcFatalError("the RPC endpoint does not support a request the indexer needs", {
      details: message,
      hint: "point --rpc at a full JSON-RPC node (eth_getLogs, eth_getBlockByNumber, eth_getBlockByHash)",
      cause: error,
    });
  }
  const what = error instanceof TimeoutError ? "timed out" : "failed";
  return new RpcError(`an RPC request ${what}`, { details: message, cause: error });
}

function fatalStatus(status: number, message: string, cause: unknown): RpcFatalError {
  return new RpcFatalError(`the RPC endpoint answered HTTP ${status}`, {
    details: message,
    hint: "check --rpc: the URL, its API key and its path",
    cause,
  });
}

const firstLine = (message: string) => message.split("\n")[0] ?? message;
