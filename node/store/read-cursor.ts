import { type BlockRef, type Cursor, decodeCursor, decodeHeader } from "./block.ts";
import { cursorKey, headerKey, headerPrefix, prefixEnd } from "./keys.ts";
import type { Store } from "./open-store.ts";

/** The last block whose effects are in the store, or undefined for an empty store. */
export async function readCursor(store: Store): Promise<Cursor | undefined> {
  const value = await store.db.get(cursorKey);
  return value === undefined ? undefined : decodeCursor(value);
}

/** The kept header of block `number`, or undefined once it is final and pruned (or never kept). */
export async function readHeader(store: Store, number: number): Promise<BlockRef | undefined> {
  const value = await store.db.get(headerKey(number));
  return value === undefined ? undefined : decodeHeader(number, value);
}

/** Every kept header, oldest first. */
export async function readHeaders(store: Store): Promise<BlockRef[]> {
  const headers: BlockRef[] = [];
  for await (const [key, value] of store.db.iterator({ gte: headerPrefix, lt: prefixEnd(headerPrefix) })) {
    headers.push(decodeHeader(Number(key.slice(headerPrefix.length)), value));
  }
  return headers;
}
