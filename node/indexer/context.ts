import type { Hex } from "viem";
import type { Contracts } from "../internal/chain-events.ts";
import type { IndexerHooks } from "../internal/indexer-events.ts";
import type { Log } from "../internal/logger.ts";
import type { Cursor } from "../store/block.ts";
import type { Store } from "../store/open-store.ts";
import type { RangeSizer } from "./range-sizer.ts";
import type { IndexerClient } from "./rpc.ts";

/** What one sync step needs; `cursor` is the store's, kept in memory between steps. */
export interface SyncContext {
  client: IndexerClient;
  store: Store;
  contracts: Contracts;
  /** Every address whose logs are fetched. */
  addresses: Hex[];
  finality: number;
  signal: AbortSignal;
  log: Log;
  sizer: RangeSizer;
  hooks: IndexerHooks;
  cursor: Cursor;
  /** Retries a request with backoff; fatal errors and aborts go through. Each failure is noted. */
  retry<T>(fn: () => Promise<T>): Promise<T>;
  /** Notes a failed request retried elsewhere: `/v1/status` shows the last one. */
  rpcFailed(error: unknown): void;
}
