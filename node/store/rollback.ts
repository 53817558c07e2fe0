import { ReorgTooDeepError, StoreCorruptError } from "../errors.ts";
import { type Cursor, encodeCursor } from "./block.ts";
import { cursorKey, headerKey, headerPrefix, prefixEnd, undoKey, undoPrefix } from "./keys.ts";
import type { Store } from "./open-store.ts";
import { readCursor, readHeader } from "./read-cursor.ts";

export interface RollbackParameters {
  /** The common ancestor: the last block that stays. */
  toBlock: number;
}

export interface RollbackReturnType {
  /** The cursor after the rollback (the ancestor). */
  cursor: Cursor;
  /** How many blocks were undone. */
  blocks: number;
  /** Every key the rollback restored or deleted (history keys among them are the reverted events). */
  keys: string[];
}

/**
 * Undoes every block after `toBlock` from their undo records, in one atomic batch with the cursor.
 * Refuses when a block to undo has no undo record (it was final): the store is never half restored.
 *
 * @example
 * const { cursor } = await rollback(store, { toBlock: 41 });
 */
export async function rollback(store: Store, { toBlock }: RollbackParameters): Promise<RollbackReturnType> {
  const cursor = await readCursor(store);
  if (cursor === undefined) throw new StoreCorruptError("rollback of an empty store");
  if (toBlock >= cursor.number) return { cursor, blocks: 0, keys: [] };
  const ancestor = await readHeader(store, toBlock);
  if (ancestor === undefined) {
    throw new ReorgTooDeepError(`cannot roll back to block ${toBlock}: it is final`, {
      details: `the store is at block ${cursor.number} and keeps no header for block ${toBlock}`,
    });
  }
  // Newest first, so that for a key changed by several blocks the oldest previous value wins.
  const restore = new Map<string, string | null>();
  const ops: Array<{ type: "put"; key: string; value: string } | { type: "del"; key: string }> = [];
  let expected = cursor.number;
  for await (const [key, value] of store.db.iterator({
    gt: undoKey(toBlock),
    lt: prefixEnd(undoPrefix),
    reverse: true,
  })) {
    const block = Number(key.slice(undoPrefix.length));
    if (block !== expected) {
      throw new ReorgTooDeepError(`cannot roll back to block ${toBlock}: block ${expected} has no undo record`, {
        details: `the store is at block ${cursor.number}; blocks indexed as final cannot be undone`,
      });
    }
    expected--;
    for (const [changed, previous] of JSON.parse(value) as Array<[string, string | null]>) {
      restore.set(changed, previous);
    }
    ops.push({ type: "del", key });
  }
  if (expected !== toBlock) {
    throw new ReorgTooDeepError(`cannot roll back to block ${toBlock}: block ${expected} has no undo record`);
  }
  for (const [key, value] of restore) ops.push(value === null ? { type: "del", key } : { type: "put", key, value });
  for await (const key of store.db.keys({ gt: headerKey(toBlock), lt: prefixEnd(headerPrefix) })) {
    ops.push({ type: "del", key });
  }
  const next: Cursor = { number: toBlock, hash: ancestor.hash };
  ops.push({ type: "put", key: cursorKey, value: encodeCursor(next) });
  await store.db.batch(ops, { sync: store.sync });
  return { cursor: next, blocks: cursor.number - toBlock, keys: [...restore.keys()] };
}
