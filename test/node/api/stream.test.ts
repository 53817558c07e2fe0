// `/v1/stream` against a real chain, the indexer following it in realtime and the server: a client
// subscribed to an address gets a transfer within the polling interval, invoice events by merchant
// and by id, and `reverted` when an evm_snapshot/evm_revert reorg removes what it was told.
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { get, type Served, serve, streamClient } from "../../kit/serve-node.ts";

const POLL_MS = 20;
let chain: TestChain;
let served: Served;

beforeAll(async () => {
  chain = await startChain();
  served = await serve(chain, { finality: 5, pollingIntervalMs: POLL_MS, confirmations: 2 });
  served.follow();
  const head = Number((await chain.client.getBlock()).number);
  await waitFor(() => served.indexer.status().cursor?.number === head);
});
afterAll(async () => {
  await served?.close();
  await chain?.close();
});

describe("/v1/stream", () => {
  it("sends a subscribed address's transfer as it is indexed, and nothing about others", async () => {
    const [alice, bob, carol, dave] = chain.holders as [Address, Address, Address, Address];
    const client = await streamClient(served);
    client.send({ subscribe: { addresses: [bob.toLowerCase()] } });
    expect(await client.next((m) => m.type === "subscribed")).toEqual({
      type: "subscribed",
      addresses: [bob],
      invoices: [],
    });

    await chain.transfer(carol, dave, 5n);
    const sentAt = performance.now();
    const tx = await chain.transfer(alice, bob, 777n);
    const message = await client.next((m) => m.type === "event");
    const latencyMs = performance.now() - sentAt;
    const receipt = await chain.client.getTransactionReceipt({ hash: tx });
    expect(message).toEqual({
      type: "event",
      event: {
        kind: "Transfer",
        block: Number(receipt.blockNumber),
        blockHash: receipt.blockHash,
        logIndex: 0,
        tx,
        contract: chain.token,
        from: alice,
        to: bob,
        value: "777",
      },
      confirmations: 1,
      confirmed: false,
    });
    // Mined on send (automine): seen within a poll interval and the time to index one block.
    expect(latencyMs).toBeLessThan(POLL_MS + 500);
    expect(client.messages.filter((m) => m.type === "event")).toHaveLength(1);
    client.close();
  });

  it("sends invoice events to the merchant's subscribers and to the invoice id's", async () => {
    const [merchant] = chain.merchants as [Address];
    const payer = chain.holders[4] as Address;
    const byMerchant = await streamClient(served);
    byMerchant.send({ subscribe: { addresses: [merchant] } });
    await byMerchant.next((m) => m.type === "subscribed");
    const paid = await chain.payInvoice({ merchant, payer, amount: 400n });
    const paidMessage = await byMerchant.next((m) => m.type === "event" && m.event.kind === "InvoicePaid");
    expect(paidMessage.event).toMatchObject({ id: paid.id, merchant, payer, amount: "400", tip: "0" });

    const byId = await streamClient(served);
    byId.send({ subscribe: { invoices: [paid.id] } });
    await byId.next((m) => m.type === "subscribed");
    await chain.capture(paid, 150n);
    const captured = await byId.next((m) => m.type === "event");
    // The capture names only the id: the stream adds whose invoice it is.
    expect(captured.event).toMatchObject({ kind: "PaymentCaptured", id: paid.id, amount: "150", merchant, payer });
    await byMerchant.next((m) => m.type === "event" && m.event.kind === "PaymentCaptured");
    byMerchant.close();
    byId.close();
  });

  it("sends `reverted` for an event a reorg removed, and the API forgets it", async () => {
    const [alice, bob] = chain.holders as [Address, Address];
    const client = await streamClient(served);
    client.send({ subscribe: { addresses: [bob] } });
    await client.next((m) => m.type === "subscribed");
    const balance = async () => (await get(served, `/v1/accounts/${bob}`)).body.balances[0].balance as string;
    const before = await balance();

    const fork = await chain.snapshot();
    const tx = await chain.transfer(alice, bob, 31_337n);
    const event = await client.next((m) => m.type === "event" && m.event.tx === tx);
    expect(BigInt(await balance()) - BigInt(before)).toBe(31_337n);

    await chain.revert(fork);
    await chain.mine();
    await chain.mine();
    const reverted = await client.next((m) => m.type === "reverted");
    expect(reverted.event).toEqual(event.event);
    expect(reverted.reorg.to.number).toBe(event.event.block - 1);
    expect(reverted.reorg.from.number).toBe(event.event.block);
    const head = await chain.client.getBlock();
    await waitFor(() => served.indexer.status().cursor?.hash === head.hash);
    expect(await balance()).toBe(before);
    expect((await get(served, "/metrics")).body).toMatch(/^gram_reorgs_total 1$/m);
    client.close();
  });
});
