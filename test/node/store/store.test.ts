// The store on a real LevelDB in a temp folder: atomic batches with undo records, rollback to the
// exact earlier contents, pruning of final blocks, and refusal to roll back past them.
import type { Hex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { ReorgTooDeepError } from "../../../node/errors.ts";
import type { BlockRef } from "../../../node/store/block.ts";
import { commitBatch } from "../../../node/store/commit-batch.ts";
import type { Store } from "../../../node/store/open-store.ts";
import { Overlay } from "../../../node/store/overlay.ts";
import { PendingChanges, readAccountBalances, readEscrowBalances } from "../../../node/store/read-balances.ts";
import { readCursor, readHeaders } from "../../../node/store/read-cursor.ts";
import { rollback } from "../../../node/store/rollback.ts";
import { tempStores } from "../../kit/store.ts";

const stores = tempStores();
afterAll(() => stores.cleanup());

const hash = (n: number, branch = "a") => `0x${branch.repeat(2)}${n.toString(16).padStart(62, "0")}` as Hex;
const block = (n: number, branch = "a"): BlockRef => ({
  number: n,
  hash: hash(n, branch),
  parentHash: hash(n - 1, branch),
});

/** Everything but the bookkeeping (cursor, headers, undo records). */
async function dump(store: Store) {
  const entries: Record<string, string> = {};
  for await (const [key, value] of store.db.iterator()) {
    if (!/^(m:cursor|h:|u:)/.test(key)) entries[key] = value;
  }
  return entries;
}

async function write(store: Store, n: number, changes: Record<string, string | null>, finality = 3) {
  const overlay = new Overlay(store);
  await overlay.load(Object.keys(changes).filter((_, i) => i % 2 === 0)); // half read first, half blind
  for (const [key, value] of Object.entries(changes)) overlay.set(key, value);
  await commitBatch(store, {
    writes: overlay.writes,
    previous: overlay.previous,
    block: block(n),
    undo: true,
    pruneBelow: n - finality,
  });
}

describe("store", () => {
  it("rolls back several blocks to exactly the contents it had, in one step", async () => {
    const { store } = await stores.open();
    await commitBatch(store, { writes: new Map([["b:t:1", "5"]]), block: block(10), undo: false, pruneBelow: 7 });
    await write(store, 11, { "b:t:1": "7", "b:t:2": "3" });
    const at11 = await dump(store);
    await write(store, 12, { "b:t:1": null, "b:t:2": "4", "x:2:12": "{}" });
    await write(store, 13, { "b:t:2": "9", "b:t:3": "1", "b:t:1": "2" });
    expect(await dump(store)).toEqual({ "b:t:1": "2", "b:t:2": "9", "b:t:3": "1", "x:2:12": "{}" });

    const result = await rollback(store, { toBlock: 11 });
    expect(result.blocks).toBe(2);
    expect(await dump(store)).toEqual(at11);
    expect(await readCursor(store)).toEqual({ number: 11, hash: hash(11) });
    expect((await readHeaders(store)).map((h) => h.number)).toEqual([10, 11]);
    await store.close();
  });

  it("keeps headers and undo records only for the last `finality` blocks and refuses to roll back past them", async () => {
    const { store } = await stores.open();
    for (let n = 1; n <= 10; n++) await write(store, n, { [`b:t:${n % 3}`]: String(n) });
    expect((await readHeaders(store)).map((h) => h.number)).toEqual([7, 8, 9, 10]);
    const undo: string[] = [];
    for await (const key of store.db.keys({ gte: "u:", lt: "u:\xff" })) undo.push(key);
    expect(undo).toHaveLength(4);

    const before = await dump(store);
    const error = await rollback(store, { toBlock: 6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReorgTooDeepError);
    expect(await dump(store)).toEqual(before);
    expect(await readCursor(store)).toEqual({ number: 10, hash: hash(10) });
    await rollback(store, { toBlock: 7 });
    expect(await dump(store)).toEqual({ "b:t:1": "7", "b:t:2": "5", "b:t:0": "6" });
    await store.close();
  });

  it("refuses to roll back blocks indexed as final (no undo record) even when a header is kept", async () => {
    const { store } = await stores.open();
    await commitBatch(store, { writes: new Map([["b:t:1", "1"]]), block: block(5), undo: false, pruneBelow: 0 });
    await commitBatch(store, { writes: new Map([["b:t:1", "2"]]), block: block(6), undo: false, pruneBelow: 0 });
    await expect(rollback(store, { toBlock: 5 })).rejects.toBeInstanceOf(ReorgTooDeepError);
    expect(await dump(store)).toEqual({ "b:t:1": "2" });
    await store.close();
  });

  it("an overlay composes writes within a batch and refuses reads nobody loaded", async () => {
    const { store } = await stores.open();
    await commitBatch(store, { writes: new Map([["b:t:1", "10"]]), block: block(1), undo: false, pruneBelow: 0 });
    const overlay = new Overlay(store);
    await overlay.load(["b:t:1", "b:t:2"]);
    expect(overlay.get("b:t:1")).toBe("10");
    expect(overlay.get("b:t:2")).toBeUndefined();
    overlay.set("b:t:1", null);
    overlay.set("b:t:2", "10");
    expect([overlay.get("b:t:1"), overlay.get("b:t:2")]).toEqual([undefined, "10"]);
    await overlay.load(["b:t:1"]); // already written: not read again over the pending delete
    expect(overlay.get("b:t:1")).toBeUndefined();
    expect(() => overlay.get("b:t:3")).toThrow(/never loaded/);
    await store.close();
  });

  it("reads balances as of a confirmed block from the newer blocks' undo records, in one snapshot", async () => {
    const { store } = await stores.open();
    const token = "0x00000000000000000000000000000000000000aa";
    const account = "0x00000000000000000000000000000000000000bb";
    const merchant = "0x00000000000000000000000000000000000000cc";
    const b = `b:${token}:${account}`;
    const e = `e:${merchant}:${token}`;
    await commitBatch(store, { writes: new Map([[b, "5"]]), block: block(10), undo: false, pruneBelow: 7 });
    await write(store, 11, { [b]: "7", [e]: "40" });
    await write(store, 12, { [b]: null, [e]: "10" });
    await write(store, 13, { [b]: "2", [e]: null });
    const pending = new PendingChanges();
    const at = async (confirmedBlock: number) => {
      const { balances, confirmed } = await readAccountBalances(store, [token], account, confirmedBlock, pending);
      const escrow = (await readEscrowBalances(store, merchant, confirmedBlock, pending)).balances;
      return { balance: balances[0], confirmed: confirmed[0], escrow: Object.fromEntries(escrow) };
    };
    expect(await at(13)).toEqual({ balance: 2n, confirmed: 2n, escrow: {} });
    expect(await at(12)).toEqual({ balance: 2n, confirmed: 0n, escrow: { [token]: { balance: 0n, confirmed: 10n } } });
    expect(await at(11)).toEqual({ balance: 2n, confirmed: 7n, escrow: { [token]: { balance: 0n, confirmed: 40n } } });
    expect(await at(10)).toEqual({ balance: 2n, confirmed: 5n, escrow: {} });
    // A block past the cursor (the head ahead of the indexer) confirms everything indexed.
    expect(await at(20)).toEqual({ balance: 2n, confirmed: 2n, escrow: {} });
    // After a rollback the remembered changes are not reused: the cursor's hash differs.
    await rollback(store, { toBlock: 11 });
    await write(store, 12, { [b]: "9" });
    expect(await at(11)).toEqual({ balance: 9n, confirmed: 7n, escrow: { [token]: { balance: 40n, confirmed: 40n } } });
  });
});
