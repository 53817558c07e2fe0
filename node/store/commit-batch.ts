import { type BlockRef, encodeCursor, encodeHeader } from "./block.ts";
import { cursorKey, headerKey, headerPrefix, undoKey, undoPrefix } from "./keys.ts";
import type { Store } from "./open-store.ts";

export interface CommitBatchParameters {
  /** The batch's writes (null: delete). */
  writes: ReadonlyMap<string, string | null>;
  /** Values of written keys before the batch, where already read; the rest are read here if `undo`. */
  previous?: ReadonlyMap<string, string | null>;
  /** The block the cursor moves to: the batch's last block. Its header is kept for reorg checks. */
  block: BlockRef;
  /** Record what the batch overwrote, so that `rollback` can undo it: for blocks that are not final. */
  undo: boolean;
  /** Headers and undo records of blocks below this one are final and deleted. */
  pruneBelow: number;
}

/**
 * Writes a block's (or a final range's) effects, its header, its undo record and the cursor in one
 * atomic LevelDB batch: after a crash the store holds all of it or none of it.
 *
 * @example
 * await commitBatch(store, { writes: overlay.writes, previous: overlay.previous, block, undo: true, pruneBelow: block.number - 12 });
 */
export async function commitBatch(store: Store, params: CommitBatchParameters): Promise<void> {
  const { writes, previous, block, undo } = params;
  const pruneBelow = Math.max(0, params.pruneBelow);
  const ops: Array<{ type: "put"; key: string; value: string } | { type: "del"; key: string }> = [];
  for (const [key, value] of writes) {
    ops.push(value === null ? { type: "del", key } : { type: "put", key, value });
  }
  if (undo) {
    const record = await undoRecord(store, writes, previous);
    ops.push({ type: "put", key: undoKey(block.number), value: JSON.stringify(record) });
  }
  ops.push({ type: "put", key: headerKey(block.number), value: encodeHeader(block) });
  ops.push({ type: "put", key: cursorKey, value: encodeCursor(block) });
  for (const [gte, lt] of [
    [headerPrefix, headerKey(pruneBelow)],
    [undoPrefix, undoKey(pruneBelow)],
  ] as const) {
    for await (const key of store.db.keys({ gte, lt })) ops.push({ type: "del", key });
  }
  await store.db.batch(ops, { sync: store.sync });
}

async function undoRecord(
  store: Store,
  writes: ReadonlyMap<string, string | null>,
  previous: ReadonlyMap<string, string | null> | undefined,
): Promise<Array<[string, string | null]>> {
  const record: Array<[string, string | null]> = [];
  const unread: string[] = [];
  for (const key of writes.keys()) {
    const value = previous?.get(key);
    if (value === undefined) unread.push(key);
    else record.push([key, value]);
  }
  if (unread.length > 0) {
    const values = await store.db.getMany(unread);
    for (let i = 0; i < unread.length; i++) record.push([unread[i] as string, values[i] ?? null]);
  }
  return record;
}
