// The node client's reads (getStatus, getAccount, getHistory, getInvoice, getMerchantInvoices,
// getMerchantBalances) against a real node: a Hardhat chain on loopback with transfers and an invoice
// story, the indexer into a LevelDB, and the API server on a loopback port. Each answer is the node's
// own (the same JSON a plain GET gets) and what the chain says.
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { getAccount } from "../../../wallet/node/getAccount.ts";
import { getHistory } from "../../../wallet/node/getHistory.ts";
import { getInvoice } from "../../../wallet/node/getInvoice.ts";
import { getMerchantBalances } from "../../../wallet/node/getMerchantBalances.ts";
import { getMerchantInvoices } from "../../../wallet/node/getMerchantInvoices.ts";
import { getStatus } from "../../../wallet/node/getStatus.ts";
import { http } from "../../../wallet/node/http.ts";
import { type PaidInvoice, startChain, type TestChain } from "../../kit/chain.ts";
import { get, type Served, serve } from "../../kit/serve-node.ts";
import { invoiceStory, randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
let served: Served;
let node: NodeClient;
let invoices: PaidInvoice[];
let head: number;

beforeAll(async () => {
  chain = await startChain();
  await randomTransfers(chain, 3, 3, 6);
  invoices = await invoiceStory(chain, 11);
  served = await serve(chain, { confirmations: 3 });
  head = (await served.indexer.sync()).number;
  node = createNodeClient({ transport: http(served.url) });
}, 120_000);
afterAll(async () => {
  await served?.close();
  await chain?.close();
});

describe("getStatus", () => {
  it("is the node's /v1/status: its chain, synced to the head", async () => {
    const status = await getStatus(node);
    expect(status).toMatchObject({
      chainId: chain.chainId,
      phase: "realtime",
      head,
      indexedBlock: head,
      lag: 0,
      syncing: false,
      confirmations: 3,
    });
    expect(status.eventsIndexed).toBe((await get(served, "/v1/status")).body.eventsIndexed);
  });
});

describe("getAccount", () => {
  it("is balanceOf on the chain, now and at the confirmed block, whatever the address case", async () => {
    const holder = chain.holders[1] as Address;
    const balanceOf = (blockNumber: number) =>
      chain.client.readContract({
        address: chain.token,
        abi: gramTokenAbi,
        functionName: "balanceOf",
        args: [holder],
        blockNumber: BigInt(blockNumber),
      });
    const account = await getAccount(node, { address: holder.toLowerCase() });
    expect(account).toEqual({
      address: holder,
      block: head,
      confirmedBlock: head - 2,
      balances: [
        {
          token: chain.token,
          symbol: "GRAM",
          decimals: 9,
          balance: (await balanceOf(head)).toString(),
          confirmed: (await balanceOf(head - 2)).toString(),
        },
      ],
    });
  });
});

describe("getHistory", () => {
  it("pages with limit and cursor join up to the whole history, as the node serves it", async () => {
    const address = chain.holders[0] as Address;
    const whole = (await get(served, `/v1/accounts/${address}/history?limit=1000`)).body;
    const items = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await getHistory(node, { address, limit: 4, cursor });
      expect(page.items.length).toBeLessThanOrEqual(4);
      items.push(...page.items);
      cursor = page.cursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThan(1);
    expect(items).toEqual(whole.items);
  });

  it("filters by token: none for a token the node does not track", async () => {
    const address = chain.merchants[0] as Address;
    const tracked = await getHistory(node, { address, token: chain.token, limit: 1000 });
    expect(tracked.items.length).toBeGreaterThan(0);
    const other = await getHistory(node, { address, token: "0x000000000000000000000000000000000000dEaD" });
    expect(other).toEqual({ address, items: [], cursor: null });
  });
});

describe("getInvoice", () => {
  it("is the paid invoice's lifecycle; an invoice nobody paid is undefined", async () => {
    const [first] = invoices as [PaidInvoice];
    const seen = await getInvoice(node, { id: first.id });
    expect(seen).toEqual((await get(served, `/v1/invoices/${first.id}`)).body);
    expect(seen).toMatchObject({ id: first.id, status: "captured", payer: chain.holders[0], refunded: "500" });
    expect(await getInvoice(node, { id: `0x${"ab".repeat(32)}` })).toBeUndefined();
  });
});

describe("getMerchantInvoices and getMerchantBalances", () => {
  it("list a merchant's paid invoices, filtered by status, and what the escrow owes it", async () => {
    const merchant = chain.merchants[0] as Address;
    const all = await getMerchantInvoices(node, { merchant });
    expect(all).toEqual((await get(served, `/v1/merchants/${merchant}/invoices`)).body);
    expect(all.items.map((item) => item.merchant)).toEqual(all.items.map(() => merchant));
    expect(all.items.length).toBe(invoices.filter((paid) => paid.invoice.merchant === merchant).length);
    const captured = await getMerchantInvoices(node, { merchant, status: "captured", limit: 1 });
    expect(captured.items.map((item) => item.status)).toEqual(["captured"]);

    const owed = await getMerchantBalances(node, { merchant });
    const onChain = await chain.client.readContract({
      address: chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "balanceOf",
      args: [merchant, chain.token],
    });
    expect(owed).toMatchObject({ merchant, block: head });
    expect(owed.balances.find((entry) => entry.token === chain.token)?.balance).toBe(onChain.toString());
  });
});
