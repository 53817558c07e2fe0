// The indexer against a Hardhat chain served on loopback and a real LevelDB: it equals the contracts
// after random workloads, keeps history newest first, resumes after a restart without counting
// anything twice, and follows new blocks in realtime until aborted.
import { type Address, encodeFunctionData, type Hex, parseAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../../../node/indexer/create-indexer.ts";
import type { Store } from "../../../node/store/open-store.ts";
import { readCursor } from "../../../node/store/read-cursor.ts";
import { readHistory } from "../../../node/store/read-history.ts";
import { readCredit, readEventCount, readInvoice } from "../../../node/store/read-state.ts";
import { invoiceStatus } from "../../../node/store/records.ts";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { type PaidInvoice, startChain, type TestChain } from "../../kit/chain.ts";
import { expectStoreEqualsChain, tempStores } from "../../kit/store.ts";
import { invoiceStory, randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
let invoices: PaidInvoice[];
const stores = tempStores();

beforeAll(async () => {
  chain = await startChain();
  await randomTransfers(chain, 1, 6, 25);
  invoices = await invoiceStory(chain, 100);
  await randomTransfers(chain, 2, 4, 25);
});
afterAll(async () => {
  await chain?.close();
  await stores.cleanup();
});

const indexerFor = (store: Store, finality = 3) =>
  createIndexer({
    client: chain.client,
    store,
    contracts: { gramToken: chain.token, escrow: chain.escrow },
    fromBlock: chain.deployBlock,
    finality,
    pollingIntervalMs: 10,
  });

const transferEvent = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/** Every Transfer log touching `account`, newest first, as the chain reports it. */
async function chainTransfers(account: Address) {
  const logs = await chain.client.getLogs({ address: chain.token, event: transferEvent, fromBlock: 0n });
  return logs
    .filter((log) => log.args.from === account || log.args.to === account)
    .sort((a, b) => Number(b.blockNumber - a.blockNumber) || (b.logIndex ?? 0) - (a.logIndex ?? 0));
}

describe("indexer", () => {
  it("after random transfers and an invoice story, equals every balanceOf, escrow balance, fee and invoice", async () => {
    const { store } = await stores.open();
    await indexerFor(store).sync();
    await expectStoreEqualsChain(store, chain, invoices);
    const [inv1, inv2, inv3] = await Promise.all(invoices.map(({ id }) => readInvoice(store, id)));
    expect(
      inv1 && {
        status: invoiceStatus(inv1),
        captured: inv1.captured,
        cashback: inv1.cashback,
        refunded: inv1.refunded,
        tip: inv1.tip,
      },
    ).toEqual({
      status: "captured",
      captured: 1000n,
      cashback: 10n,
      refunded: 500n,
      tip: 10n,
    });
    expect(inv2 && { status: invoiceStatus(inv2), payer: inv2.payer }).toEqual({
      status: "voided",
      payer: (chain.holders[1] as string).toLowerCase(),
    });
    expect(
      inv3 && {
        status: invoiceStatus(inv3),
        resolved: inv3.resolved,
        disputed: inv3.disputed,
        captured: inv3.captured,
      },
    ).toEqual({
      status: "captured",
      resolved: true,
      disputed: false,
      captured: 200n,
    });
    await store.close();
  });

  it("lists an account's history newest first, every transfer in and out, and its invoice events", async () => {
    const { store } = await stores.open();
    await indexerFor(store).sync();
    const payer = chain.holders[0] as Address;
    const expected = (await chainTransfers(payer)).flatMap((log) => {
      const self = log.args.from === log.args.to;
      const entry = { block: Number(log.blockNumber), logIndex: log.logIndex, tx: log.transactionHash };
      return self
        ? [
            { ...entry, direction: "in" },
            { ...entry, direction: "out" },
          ]
        : [{ ...entry, direction: log.args.to === payer ? "in" : "out" }];
    });
    const all = [];
    let before: string | undefined;
    do {
      const page = await readHistory(store, { account: payer, limit: 7, ...(before === undefined ? {} : { before }) });
      all.push(...page.items);
      before = page.next;
    } while (before !== undefined);
    const transfers = all.filter((item) => item.type === "transfer");
    expect(transfers.map((t) => ({ block: t.block, logIndex: t.logIndex, tx: t.tx, direction: t.direction }))).toEqual(
      expected,
    );
    const keys = all.map((item) => item.block * 1e6 + item.logIndex);
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    // h0 paid invoice 1, saw the merchant capture part, confirmed the rest and was refunded.
    expect(all.filter((item) => item.type === "invoice").map((item) => item.type === "invoice" && item.event)).toEqual([
      "refunded",
      "captured",
      "captured",
      "paid",
    ]);
    await store.close();
  });

  it("resumes from the cursor after a restart on the same folder, counting nothing twice", async () => {
    const { store, dir } = await stores.open();
    const first = await indexerFor(store).sync();
    const counted = await readEventCount(store);
    await store.close();

    await randomTransfers(chain, 3, 3, 20);
    const reopened = await stores.open(dir);
    const indexer = indexerFor(reopened.store);
    const second = await indexer.sync();
    expect(second.number).toBeGreaterThan(first.number);
    expect(await readEventCount(reopened.store)).toBe(counted + 60);
    await expectStoreEqualsChain(reopened.store, chain, invoices);
    // A restart with nothing new changes nothing.
    await indexerFor(reopened.store).sync();
    expect(await readEventCount(reopened.store)).toBe(counted + 60);
    await reopened.store.close();
  });

  it("follows new blocks in realtime and stops cleanly when aborted", async () => {
    const { store } = await stores.open();
    const indexer = indexerFor(store);
    const controller = new AbortController();
    const running = indexer.run(controller.signal);
    await randomTransfers(chain, 4, 3, 10);
    const head = await chain.client.getBlock();
    await waitFor(async () => (await readCursor(store))?.hash === head.hash);
    await expectStoreEqualsChain(store, chain, invoices);
    controller.abort();
    await running;
    expect(indexer.status().phase).toBe("stopped");
    await store.close();
  });

  it("keeps a payer's credit when the escrow could not push its cashback, and clears it when claimed", async () => {
    const [merchant] = chain.merchants as [Address];
    const owner = chain.holders[7] as Address;
    const hooked = await chain.deployContract("HookedToken");
    const payerContract = await chain.deployContract("RefusingPayer", [owner]);
    const execute = async (target: Address, data: Hex) =>
      chain.assertMined(
        await chain.send(
          owner,
          payerContract.address,
          encodeFunctionData({ abi: payerContract.abi, functionName: "execute", args: [target, data] }),
        ),
      );
    const hookedCall = (functionName: "registerHook" | "approve", args: readonly unknown[] = []) =>
      encodeFunctionData({ abi: hooked.abi, functionName, args } as never);
    await hooked.write.mint([payerContract.address, 10n ** 12n]);
    await execute(hooked.address, hookedCall("registerHook"));
    await execute(hooked.address, hookedCall("approve", [chain.escrow, 10n ** 12n]));
    const { invoice, signature, id } = await chain.signInvoice({
      merchant,
      payer: payerContract.address,
      amount: 10n ** 9n,
      cashbackBps: 500,
      token: hooked.address,
    });
    await execute(chain.escrow, chain.escrowCall("pay", [invoice, signature, 0n]));
    await payerContract.write.setMode([1], { account: owner });
    await chain.assertMined(await chain.capture({ invoice, id }, 4n * 10n ** 8n));
    const onChain = () =>
      chain.client.readContract({
        address: chain.escrow,
        abi: merchantEscrowAbi,
        functionName: "creditOf",
        args: [payerContract.address, hooked.address],
      });
    expect(await onChain()).toBe(2n * 10n ** 7n);

    const { store } = await stores.open();
    await indexerFor(store).sync();
    expect(await readCredit(store, payerContract.address, hooked.address)).toBe(2n * 10n ** 7n);
    expect((await readInvoice(store, id))?.cashback).toBe(2n * 10n ** 7n);

    await execute(chain.escrow, chain.escrowCall("claim", [hooked.address, owner]));
    await indexerFor(store).sync();
    expect(await onChain()).toBe(0n);
    expect(await readCredit(store, payerContract.address, hooked.address)).toBe(0n);
    await store.close();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting for the indexer");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
