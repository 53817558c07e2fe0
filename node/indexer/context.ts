import type { Hex } from "viem";
import type { Cursor } from "../store/block.ts";
import type { Store } from "../store/open-store.ts";
import type { RollbackReturnType } from "../store/rollback.ts";
import type { ChainEvent, Contracts } from "./events.ts";
import type { RangeSizer } from "./range-sizer.ts";
import type { IndexerClient } from "./rpc.ts";

/** The subset of a pino logger the indexer uses. */
export interface Log {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** Called after each committed batch and each rollback: the API's stream listens here. */
export interface IndexerHooks {
  onBatch?(batch: { cursor: Cursor; events: readonly ChainEvent[]; final: boolean }): void;
  onReorg?(reorg: RollbackReturnType & { from: Cursor }): void;
}

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
