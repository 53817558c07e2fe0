import { type Hex, HttpRequestError, type PublicClient, type RpcLog, RpcRequestError, TimeoutError, toHex } from "viem";
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
  return Number(await call(() => client.request({ method: "eth_chainId" })));
}

const RANGE_REFUSED =
  /more than \d+ (results|logs)|range|too many|too large|response size|size exceeded|limit exceeded|query timeout|exceed/i;

/** Runs one request and turns what fails into the node's errors: retryable, fatal, or "split the range". */
async function call<T>(request: () => Promise<T>, { logs = false } = {}): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw classifyRpcError(error, logs);
  }
}

export function classifyRpcError(error: unknown, logs = false): GramNodeError {
  if (error instanceof GramNodeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (logs && error instanceof RpcRequestError && RANGE_REFUSED.test(message)) {
    return new RangeTooLargeError("the RPC endpoint refused the log range", {
      details: firstLine(message),
      cause: error,
    });
  }
  if (error instanceof HttpRequestError && error.status !== undefined) {
    if (logs && error.status === 413) {
      return new RangeTooLargeError("the RPC endpoint refused the log range as too large", { cause: error });
    }
    if (error.status >= 400 && error.status < 500 && ![408, 425, 429].includes(error.status)) {
      return new RpcFatalError(`the RPC endpoint answered HTTP ${error.status}`, {
        details: firstLine(message),
        hint: "check --rpc: the URL, its API key and its path",
        cause: error,
      });
    }
  }
  if (error instanceof RpcRequestError && [-32601, -32602].includes(error.code)) {
    return new RpcFatalError("the RPC endpoint does not support a request the indexer needs", {
      details: firstLine(message),
      hint: "point --rpc at a full JSON-RPC node (eth_getLogs, eth_getBlockByNumber, eth_getBlockByHash)",
      cause: error,
    });
  }
  const what = error instanceof TimeoutError ? "timed out" : "failed";
  return new RpcError(`an RPC request ${what}`, { details: firstLine(message), cause: error });
}

const firstLine = (message: string) => message.split("\n")[0] ?? message;
