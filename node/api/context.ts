import type { Address } from "viem";
import type { IndexerStatus } from "../indexer/create-indexer.ts";
import type { Store } from "../store/open-store.ts";
import type { PendingChanges } from "../store/read-balances.ts";
import type { ResponseCache } from "./balance-cache.ts";
import type { ApiMetrics } from "./metrics.ts";
import type { Depth } from "./serialize.ts";
import type { TokenInfo } from "./tokens.ts";

/** What the routes share: built once by `createApiServer`. */
export interface ApiContext {
  store: Store;
  indexer: { status(): IndexerStatus };
  chainId: number;
  /** The first block indexed, for `progress`. */
  fromBlock: number;
  tokens: readonly TokenInfo[];
  tokenAddresses: readonly Address[];
  /** Tracked tokens by lowercase address. */
  tokenMap: ReadonlyMap<string, TokenInfo>;
  confirmations: number;
  /** The head for confirmation counts, and the depth required. */
  depth(): Depth;
  /** The newest block deep enough to count as confirmed (may be above the cursor while syncing). */
  confirmedBlock(): number;
  /** What the unconfirmed blocks changed, read once per block. */
  pending: PendingChanges;
  /** Undefined when the server is not told of new batches (no `events`), so that nothing goes stale. */
  accountCache: ResponseCache | undefined;
  metrics: ApiMetrics;
}
