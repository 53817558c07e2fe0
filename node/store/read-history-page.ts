import type { Address } from "viem";
import { historyPrefix, prefixEnd } from "./keys.ts";
import type { Store } from "./open-store.ts";
import type { HistoryEntry, HistoryItem } from "./records.ts";

export interface ReadHistoryPageParameters {
  account: Address;
  limit: number;
  /** Continue strictly after (older than) this position: the `next` of the previous page. */
  after?: string | undefined;
  /** Only entries about this token (lowercase); entries without a token (canceled invoice numbers) are left out. */
  token?: string | undefined;
  /** Stop after reading this many entries, matching or not, so that a rare token cannot make one page scan everything. */
  maxScan?: number;
}

export interface ReadHistoryPageReturnType {
  items: HistoryItem[];
  /** The position (`<block>:<logIndex>:<n>`) to continue after; undefined when nothing older is left. */
  next: string | undefined;
}

/** Where a history key sits within the account: `<block:12>:<logIndex:6>:<n>`. */
export const HISTORY_POSITION = /^\d{12}:\d{6}:\d$/;

/**
 * A page of `account`'s history, newest first, optionally only one token's: a reverse scan of its
 * `x:` keys. A filtered page may hold fewer than `limit` items and still have a `next`.
 *
 * @example
 * const { items, next } = await readHistoryPage(store, { account, limit: 50, token: gram });
 */
export async function readHistoryPage(
  store: Store,
  { account, limit, after, token, maxScan = 10_000 }: ReadHistoryPageParameters,
): Promise<ReadHistoryPageReturnType> {
  const prefix = historyPrefix(account.toLowerCase());
  const items: HistoryItem[] = [];
  let scanned = 0;
  let last: string | undefined;
  for await (const [key, value] of store.db.iterator({
    gte: prefix,
    lt: after === undefined ? prefixEnd(prefix) : prefix + after,
    reverse: true,
  })) {
    const position = key.slice(prefix.length);
    if (items.length === limit || scanned === maxScan) return { items, next: last };
    scanned++;
    last = position;
    const entry = JSON.parse(value) as HistoryEntry;
    if (token !== undefined && !("token" in entry && entry.token === token)) continue;
    const [block, logIndex] = position.split(":");
    items.push({ ...entry, block: Number(block), logIndex: Number(logIndex) });
  }
  return { items, next: undefined };
}
