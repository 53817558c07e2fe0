// A quick local backfill of a few thousand transfers (100 per block): the state equals the chain's and
// the events/s are printed. A figure, not a timed assertion: `npm run bench:node` measures properly.
import { createWalletClient, http, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../../../node/indexer/create-indexer.ts";
import { readEventCount } from "../../../node/store/read-state.ts";
import { random } from "../../../scripts/lib/random.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { expectStoreEqualsChain, tempStores } from "../../kit/store.ts";

const BLOCKS = 40;
const PER_BLOCK = 100;
let chain: TestChain;
const stores = tempStores();

beforeAll(async () => {
  chain = await startChain();
  // JSON-RPC batches of 100 sends: filling the chain should not take longer than indexing it.
  const batched = createWalletClient({ transport: http(chain.url, { batch: { batchSize: 100 } }) });
  const rng = random(42);
  const people = [...chain.holders, ...chain.merchants];
  for (let b = 0; b < BLOCKS; b++) {
    await chain.inOneBlock(() =>
      Promise.all(
        Array.from({ length: PER_BLOCK }, () =>
          batched.request({
            method: "eth_sendTransaction",
            params: [
              {
                from: rng.pick(people),
                to: chain.token,
                data: chain.tokenCall("transfer", [rng.pick(people), BigInt(1 + rng.int(1000))]),
                gas: toHex(100_000),
              },
            ],
          }),
        ),
      ),
    );
  }
}, 120_000);
afterAll(async () => {
  await chain?.close();
  await stores.cleanup();
});

describe("backfill", () => {
  it(`indexes ${BLOCKS * PER_BLOCK} transfers from an empty folder and equals the chain`, async () => {
    const { store } = await stores.open();
    const before = await readEventCount(store);
    const indexer = createIndexer({
      client: chain.client,
      store,
      contracts: { gramToken: chain.token, escrow: chain.escrow },
      fromBlock: chain.deployBlock,
      finality: 5,
    });
    const started = performance.now();
    await indexer.sync();
    const seconds = (performance.now() - started) / 1000;
    const events = (await readEventCount(store)) - before;
    expect(events).toBeGreaterThanOrEqual(BLOCKS * PER_BLOCK);
    console.log(`backfill: ${events} events in ${seconds.toFixed(3)} s = ${Math.round(events / seconds)} events/s`);
    await expectStoreEqualsChain(store, chain);
    await store.close();
  });
});
