// Reorgs on a Hardhat chain served on loopback: evm_snapshot, blocks the indexer indexes, evm_revert,
// then a different branch mined with evm_mine. After each, the indexed state equals the chain's.
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReorgTooDeepError } from "../../../node/errors.ts";
import { createIndexer, type Indexer } from "../../../node/indexer/create-indexer.ts";
import { merchantInvoicePrefix, prefixEnd } from "../../../node/store/keys.ts";
import type { Store } from "../../../node/store/open-store.ts";
import { readCursor, readHeaders } from "../../../node/store/read-cursor.ts";
import { readHistory } from "../../../node/store/read-history.ts";
import { readInvoice } from "../../../node/store/read-state.ts";
import { type PaidInvoice, startChain, type TestChain } from "../../kit/chain.ts";
import { expectStoreEqualsChain, tempStores } from "../../kit/store.ts";
import { randomTransfers } from "../../kit/workload.ts";

const FINALITY = 5;
let chain: TestChain;
let store: Store;
let indexer: Indexer;
const reorgs: number[] = [];
const invoices: PaidInvoice[] = [];
const stores = tempStores();

beforeAll(async () => {
  chain = await startChain();
  await randomTransfers(chain, 10, 8, 10);
  store = (await stores.open()).store;
  indexer = createIndexer({
    client: chain.client,
    store,
    contracts: { gramToken: chain.token, escrow: chain.escrow },
    fromBlock: chain.deployBlock,
    finality: FINALITY,
    hooks: { onReorg: ({ blocks }) => reorgs.push(blocks) },
  });
  await indexer.sync();
});
afterAll(async () => {
  await store?.close();
  await chain?.close();
  await stores.cleanup();
});

describe("reorgs", () => {
  for (const depth of [1, 2, 3, 4, 5]) {
    // Even depths replace the branch with one of the same length: the head's number does not move.
    const newLength = depth % 2 === 0 ? depth : depth + 1;
    it(`a reorg of depth ${depth} onto a different ${newLength}-block branch leaves the state equal to the chain's`, async () => {
      const fork = await chain.snapshot();
      const forkBlock = await chain.client.getBlock();
      await randomTransfers(chain, 1000 + depth, depth, 6);
      const oldHead = await indexer.sync();
      expect(oldHead.number).toBe(Number(forkBlock.number) + depth);

      await chain.revert(fork);
      await randomTransfers(chain, 2000 + depth, newLength, 6);
      const newHead = await indexer.sync();
      expect(newHead.hash).not.toBe(oldHead.hash);
      expect(reorgs.at(-1)).toBe(depth);
      await expectStoreEqualsChain(store, chain, invoices);
      // Kept headers are the new branch's: each one's parent is the one before.
      const headers = await readHeaders(store);
      expect(headers.length).toBe(FINALITY + 1);
      for (let i = 1; i < headers.length; i++) expect(headers[i]?.parentHash).toBe(headers[i - 1]?.hash);
    });
  }

  it("a reorg that removes an invoice payment removes the invoice, its indexes and its history", async () => {
    const [merchant] = chain.merchants as [Address];
    const payer = chain.holders[2] as Address;
    const fork = await chain.snapshot();
    const paid = await chain.payInvoice({ merchant, payer, amount: 700n, tip: 5n });
    await chain.capture(paid, 200n);
    invoices.push(paid);
    await indexer.sync();
    expect((await readInvoice(store, paid.id))?.captured).toBe(200n);
    const entries = (await readHistory(store, { account: payer, limit: 10 })).items;
    expect(
      entries.filter((i) => i.type === "invoice" && i.id === paid.id).map((i) => i.type === "invoice" && i.event),
    ).toEqual(["captured", "paid"]);

    await chain.revert(fork);
    await randomTransfers(chain, 3000, 3, 4);
    await indexer.sync();
    expect(await readInvoice(store, paid.id)).toBeUndefined();
    await expectStoreEqualsChain(store, chain, invoices);
    const index: string[] = [];
    const prefix = merchantInvoicePrefix(merchant.toLowerCase());
    for await (const key of store.db.keys({ gte: prefix, lt: prefixEnd(prefix) })) index.push(key);
    expect(index.filter((key) => key.endsWith(paid.id))).toEqual([]);
    const history = (await readHistory(store, { account: payer, limit: 1000 })).items;
    expect(history.filter((item) => item.type === "invoice" && item.id === paid.id)).toEqual([]);
  });

  it("a reorg that reorders two dependent transfers gives the new order's balances and history", async () => {
    const [a, b, c] = chain.holders as [Address, Address, Address];
    const fork = await chain.snapshot();
    let hashes: Hex[] = [];
    await chain.inOneBlock(async () => {
      hashes = [await chain.transfer(a, b, 11n), await chain.transfer(b, c, 22n)];
    });
    await indexer.sync();
    const before = (await readHistory(store, { account: b, limit: 2 })).items.map((i) => i.type === "transfer" && i.tx);
    expect(before).toEqual([hashes[1], hashes[0]]);

    await chain.revert(fork);
    await chain.inOneBlock(async () => {
      hashes = [await chain.transfer(b, c, 33n), await chain.transfer(a, b, 44n)];
    });
    await chain.mine();
    await indexer.sync();
    await expectStoreEqualsChain(store, chain, invoices);
    const after = (await readHistory(store, { account: b, limit: 2 })).items;
    expect(after.map((i) => i.type === "transfer" && { tx: i.tx, value: i.value, direction: i.direction })).toEqual([
      { tx: hashes[1], value: "44", direction: "in" },
      { tx: hashes[0], value: "33", direction: "out" },
    ]);
  });

  it("a reorg deeper than the finality fails loudly and leaves the store as it was", async () => {
    const shallow = (await stores.open()).store;
    const strict = createIndexer({
      client: chain.client,
      store: shallow,
      contracts: { gramToken: chain.token, escrow: chain.escrow },
      fromBlock: chain.deployBlock,
      finality: 2,
      pollingIntervalMs: 10,
    });
    const fork = await chain.snapshot();
    await randomTransfers(chain, 4000, 4, 3);
    const cursor = await strict.sync();

    await chain.revert(fork);
    await randomTransfers(chain, 5000, 5, 3);
    const error = await strict.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReorgTooDeepError);
    expect((error as ReorgTooDeepError).shortMessage).toBe("reorg deeper than the configured finality of 2 blocks");
    // The flag that sets how deep the node can roll back.
    expect((error as ReorgTooDeepError).hint).toMatch(/^raise --finality/);
    expect(await readCursor(shallow)).toEqual(cursor);
    // The follower's loop does not retry it either: run() rejects.
    await expect(strict.run(new AbortController().signal)).rejects.toBeInstanceOf(ReorgTooDeepError);
    expect(strict.status().phase).toBe("failed");
    await shallow.close();
    // The indexer with finality 5 takes the same 4-block reorg in its stride.
    await indexer.sync();
    await expectStoreEqualsChain(store, chain, invoices);
  });
});
