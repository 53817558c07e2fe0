import type { Address } from "viem";
import { historyPrefix, prefixEnd } from "./keys.ts";
import type { Store } from "./open-store.ts";
import type { HistoryEntry, HistoryItem } from "./records.ts";

export interface ReadHistoryParameters {
  account: Address;
  limit?: number;
  /** Continue after this key (exclusive): the `next` of the previous page. */
  before?: string;
}

export interface ReadHistoryReturnType {
  items: HistoryItem[];
  /** The key to pass as `before` for the next page; undefined on the last page. */
  next: string | undefined;
}

/**
 * `account`'s history, newest first: a reverse scan of its `x:` keys.
 *
 * @example
 * const { items, next } = await readHistory(store, { account, limit: 50 });
 */
export async function readHistory(
  store: Store,
  { account, limit = 50, before }: ReadHistoryParameters,
): Promise<ReadHistoryReturnType> {
  const prefix = historyPrefix(account.toLowerCase());
  const items: HistoryItem[] = [];
  let last: string | undefined;
  for await (const [key, value] of store.db.iterator({
    gte: prefix,
    lt: before?.startsWith(prefix) ? before : prefixEnd(prefix),
    reverse: true,
    limit: limit + 1,
  })) {
    if (items.length === limit) return { items, next: last };
    const [block, logIndex] = key.slice(prefix.length).split(":");
    items.push({ ...(JSON.parse(value) as HistoryEntry), block: Number(block), logIndex: Number(logIndex) });
    last = key;
  }
  return { items, next: undefined };
}
