// Every route of the API against a real chain, indexer, LevelDB and server: the answers equal what
// the contracts say, history pages join up to the whole history, and responses parse with the
// schemas wallets use (protocol/api.ts).
import { type Address, getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHistory } from "../../../node/store/read-history.ts";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import {
  accountResponseSchema,
  historyResponseSchema,
  invoiceResponseSchema,
  merchantBalancesResponseSchema,
  merchantInvoicesResponseSchema,
  statusResponseSchema,
} from "../../../protocol/api.ts";
import { type PaidInvoice, startChain, type TestChain } from "../../kit/chain.ts";
import { get, type Served, serve } from "../../kit/serve-node.ts";
import { invoiceStory, randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
let served: Served;
let invoices: PaidInvoice[];
let head: number;

beforeAll(async () => {
  chain = await startChain();
  await randomTransfers(chain, 1, 4, 10);
  invoices = await invoiceStory(chain, 7);
  await randomTransfers(chain, 2, 2, 5);
  served = await serve(chain, { confirmations: 3 });
  head = (await served.indexer.sync()).number;
});
afterAll(async () => {
  await served?.close();
  await chain?.close();
});

const balanceOf = (account: Address, blockNumber?: number) =>
  chain.client.readContract({
    address: chain.token,
    abi: gramTokenAbi,
    functionName: "balanceOf",
    args: [account],
    ...(blockNumber === undefined ? {} : { blockNumber: BigInt(blockNumber) }),
  });

describe("GET /v1/status", () => {
  it("reports the chain, the indexed head, no lag and full progress once synced", async () => {
    const { status, body } = await get(served, "/v1/status");
    expect(status).toBe(200);
    const parsed = statusResponseSchema.parse(body);
    const block = await chain.client.getBlock();
    expect(parsed).toMatchObject({
      chainId: chain.chainId,
      phase: "realtime",
      head: Number(block.number),
      indexedBlock: Number(block.number),
      indexedHash: block.hash,
      finalizedBlock: Number(block.number) - 5,
      lag: 0,
      syncing: false,
      progress: 1,
      confirmations: 3,
    });
    // 4×10 + 2×5 transfers, the story's transfers and escrow events, the funding mints and approvals.
    expect(parsed.eventsIndexed).toBeGreaterThan(50);
  });
});

describe("GET /v1/accounts/:address", () => {
  it("gives every holder's balance as balanceOf says, now and as of the confirmed block, whatever the address case", async () => {
    for (const [i, holder] of [...chain.holders, ...chain.merchants, chain.escrow].entries()) {
      const spelled = i % 3 === 0 ? holder : i % 3 === 1 ? holder.toLowerCase() : `0x${holder.slice(2).toUpperCase()}`;
      const { status, body } = await get(served, `/v1/accounts/${spelled}`);
      expect(status).toBe(200);
      expect(accountResponseSchema.parse(body)).toEqual({
        address: holder,
        block: head,
        confirmedBlock: head - 2,
        balances: [
          {
            token: chain.token,
            symbol: "GRAM",
            decimals: 9,
            balance: (await balanceOf(holder)).toString(),
            confirmed: (await balanceOf(holder, head - 2)).toString(),
          },
        ],
      });
    }
  });

  it("gives zero balances for an account the chain never saw", async () => {
    const { body } = await get(served, "/v1/accounts/0x000000000000000000000000000000000000dEaD");
    expect(body.balances).toEqual([{ token: chain.token, symbol: "GRAM", decimals: 9, balance: "0", confirmed: "0" }]);
  });

  it("shows a new transfer once indexed, not a cached balance", async () => {
    const [a, b] = chain.holders as [Address, Address];
    const before = (await get(served, `/v1/accounts/${b}`)).body.balances[0].balance;
    await chain.transfer(a, b, 12_345n);
    head = (await served.indexer.sync()).number;
    const after = (await get(served, `/v1/accounts/${b}`)).body;
    expect(after.block).toBe(head);
    expect(BigInt(after.balances[0].balance) - BigInt(before)).toBe(12_345n);
  });

  it("counts a transfer as confirmed only once it is --confirmations deep", async () => {
    const [a, b] = chain.holders as [Address, Address];
    // Two empty blocks first, so that every earlier change is confirmed.
    await chain.mine();
    await chain.mine();
    await served.indexer.sync();
    const start = (await get(served, `/v1/accounts/${b}`)).body.balances[0];
    expect(start.confirmed).toBe(start.balance);
    await chain.transfer(a, b, 777n);
    const seen: Array<{ balance: string; confirmed: string }> = [];
    for (let depth = 1; depth <= 3; depth++) {
      if (depth > 1) await chain.mine();
      head = (await served.indexer.sync()).number;
      const body = (await get(served, `/v1/accounts/${b}`)).body;
      expect(body.confirmedBlock).toBe(head - 2);
      seen.push(body.balances[0]);
    }
    const plus = (n: bigint) => (BigInt(start.balance) + n).toString();
    // 1 and 2 confirmations: pending; at 3 (the served node's depth) it is confirmed.
    expect(seen).toEqual([
      { ...start, balance: plus(777n), confirmed: start.balance },
      { ...start, balance: plus(777n), confirmed: start.balance },
      { ...start, balance: plus(777n), confirmed: plus(777n) },
    ]);
  });
});

describe("GET /v1/accounts/:address/history", () => {
  it("pages join up, newest first, to the store's whole history, each entry with its depth", async () => {
    const account = chain.holders[0] as Address;
    const all = await readHistory(served.store, { account, limit: 10_000 });
    const pages = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=7${cursor === null ? "" : `&cursor=${cursor}`}`;
      const { status, body } = await get(served, `/v1/accounts/${account}/history${query}`);
      expect(status).toBe(200);
      const page = historyResponseSchema.parse(body);
      expect(page.items.length).toBeLessThanOrEqual(7);
      pages.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== null);
    expect(pages.length).toBe(all.items.length);
    expect(pages.length).toBeGreaterThan(7);
    const chainHead = Number((await chain.client.getBlock()).number);
    expect(pages.map((item) => ({ block: item.block, logIndex: item.logIndex, tx: item.tx, type: item.type }))).toEqual(
      all.items.map((item) => ({ block: item.block, logIndex: item.logIndex, tx: item.tx, type: item.type })),
    );
    for (const item of pages) {
      const confirmations = chainHead - item.block + 1;
      expect({ confirmations: item.confirmations, confirmed: item.confirmed }).toEqual({
        confirmations,
        confirmed: confirmations >= 3,
      });
    }
    // h0 paid invoice 1 (merchant A captured part, h0 confirmed the rest, A refunded 500).
    expect(
      pages.filter((item) => item.type === "invoice").map((item) => item.type === "invoice" && item.event),
    ).toEqual(["refunded", "captured", "captured", "paid"]);
    const transfer = pages.find((item) => item.type === "transfer");
    expect(transfer?.type === "transfer" && transfer.token).toBe(chain.token);
  });

  it("filters by token: the tracked token's entries, none for another token", async () => {
    const account = chain.merchants[0] as Address;
    const { body } = await get(served, `/v1/accounts/${account}/history?token=${chain.token.toLowerCase()}&limit=1000`);
    const page = historyResponseSchema.parse(body);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((item) => "token" in item && item.token === chain.token)).toBe(true);
    const other = await get(served, `/v1/accounts/${account}/history?token=0x000000000000000000000000000000000000dEaD`);
    expect(other.body).toEqual({ address: account, items: [], cursor: null });
  });
});

describe("invoices and merchants", () => {
  it("GET /v1/invoices/:id gives the lifecycle the escrow went through", async () => {
    const [inv1, inv2, inv3] = invoices as [PaidInvoice, PaidInvoice, PaidInvoice];
    const { status, body } = await get(served, `/v1/invoices/${inv1.id}`);
    expect(status).toBe(200);
    expect(invoiceResponseSchema.parse(body)).toMatchObject({
      id: inv1.id,
      status: "captured",
      merchant: chain.merchants[0],
      payer: chain.holders[0],
      token: chain.token,
      symbol: "GRAM",
      decimals: 9,
      amount: "1000",
      tip: "10",
      held: "0",
      captured: "1000",
      cashback: "10",
      refunded: "500",
      confirmed: true,
    });
    expect((await get(served, `/v1/invoices/${inv2.id.toUpperCase().replace("0X", "0x")}`)).body.status).toBe("voided");
    expect((await get(served, `/v1/invoices/${inv3.id}`)).body).toMatchObject({ status: "captured", resolved: true });
  });

  it("GET /v1/merchants/:address/invoices lists newest payment first, filters by status and pages", async () => {
    const [inv1, inv2, inv3] = invoices as [PaidInvoice, PaidInvoice, PaidInvoice];
    const [merchantA, merchantB] = chain.merchants as [Address, Address];
    const all = merchantInvoicesResponseSchema.parse((await get(served, `/v1/merchants/${merchantA}/invoices`)).body);
    expect(all.items.map((item) => item.id)).toEqual([inv3.id, inv1.id]);
    expect(all.cursor).toBeNull();
    const first = (await get(served, `/v1/merchants/${merchantA}/invoices?limit=1`)).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([inv3.id]);
    const second = (await get(served, `/v1/merchants/${merchantA}/invoices?limit=1&cursor=${first.cursor}`)).body;
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([inv1.id]);
    const voided = (await get(served, `/v1/merchants/${merchantB}/invoices?status=voided`)).body;
    expect(voided.items.map((item: { id: string }) => item.id)).toEqual([inv2.id]);
    expect((await get(served, `/v1/merchants/${merchantA}/invoices?status=voided`)).body.items).toEqual([]);
  });

  it("GET /v1/merchants/:address/balances equals the escrow's balanceOf, now and as of the confirmed block", async () => {
    for (const merchant of chain.merchants) {
      const { status, body } = await get(served, `/v1/merchants/${merchant}/balances`);
      expect(status).toBe(200);
      const onChain = (blockNumber?: number) =>
        chain.client.readContract({
          address: chain.escrow,
          abi: merchantEscrowAbi,
          functionName: "balanceOf",
          args: [merchant, chain.token],
          ...(blockNumber === undefined ? {} : { blockNumber: BigInt(blockNumber) }),
        });
      expect(merchantBalancesResponseSchema.parse(body)).toEqual({
        merchant: getAddress(merchant),
        block: head,
        confirmedBlock: head - 2,
        balances: [
          {
            token: chain.token,
            symbol: "GRAM",
            decimals: 9,
            balance: String(await onChain()),
            confirmed: String(await onChain(head - 2)),
          },
        ],
      });
    }
  });
});

describe("operations", () => {
  it("GET /healthz is ok while the indexer is healthy", async () => {
    expect(await get(served, "/healthz")).toEqual({ status: 200, body: { ok: true, phase: "realtime" } });
  });

  it("GET /metrics exposes the head, lag, events, reorgs and request latency", async () => {
    const { status, body } = await get(served, "/metrics");
    expect(status).toBe(200);
    expect(body).toMatch(new RegExp(`^gram_head_block ${head}$`, "m"));
    expect(body).toMatch(/^gram_head_lag_blocks 0$/m);
    expect(body).toMatch(/^gram_events_indexed \d+$/m);
    expect(body).toMatch(/^gram_reorgs_total 0$/m);
    expect(body).toMatch(
      /^gram_http_request_duration_seconds_count\{method="GET",route="\/v1\/accounts\/:address",status="200"\} \d+$/m,
    );
  });
});
