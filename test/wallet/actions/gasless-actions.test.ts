// sendTransferGasless and payInvoiceGasless against the node's real relayer (its fastify routes on
// loopback, a Hardhat chain, a LevelDB; test/kit/relaying.ts): the payer has no ETH, is shown the summary
// of what it signs, and what the relayer answers is the transaction that waitForRelayedPayment finds
// paid with its own authorization. Declined, nothing reaches the relayer.
import type { Address, LocalAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payInvoiceGasless } from "../../../wallet/actions/payInvoiceGasless.ts";
import { sendTransferGasless } from "../../../wallet/actions/sendTransferGasless.ts";
import { waitForRelayedPayment } from "../../../wallet/actions/waitForRelayedPayment.ts";
import { RejectedError } from "../../../wallet/errors.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { http as nodeHttp } from "../../../wallet/node/http.ts";
import type { TransactionSummary } from "../../../wallet/summary/types.ts";
import { payerClient, startRelayingServer } from "../../kit/relaying.ts";
import { failure } from "../../kit/wallet-helpers.ts";

let stack: Awaited<ReturnType<typeof startRelayingServer>>;
let node: NodeClient;
beforeAll(async () => {
  stack = await startRelayingServer();
  node = createNodeClient({ transport: nodeHttp(stack.server.url) });
}, 120_000);
afterAll(() => stack?.close());

const clientOf = (account: LocalAccount) => payerClient(stack.chain, account);

describe("sendTransferGasless", () => {
  it("signs after the summary, the relayer submits it, and its answer is the payer's own transfer", async () => {
    const { chain, relaying } = stack;
    const payer = await relaying.payer("gasless sender");
    const to = chain.holders[1] as Address;
    const before = await relaying.balanceOf(to);
    const client = await clientOf(payer);
    const shown: TransactionSummary[] = [];

    const sent = await sendTransferGasless(client, { node, to, amount: "2.5", confirm: (s) => shown.push(s) > 0 });

    expect(shown).toEqual([sent.summary]);
    expect(sent.request).toMatchObject({ from: payer.address, to, value: "2500000000" });
    const receipt = await waitForRelayedPayment(client, { txHash: sent.hash, request: sent.request });
    expect(receipt.transactionHash).toBe(sent.hash);
    expect(await relaying.balanceOf(to)).toBe(before + 2_500_000_000n);
    await relaying.expectGasless(payer.address);
  });

  it("declined: a RejectedError, and nothing is relayed", async () => {
    const { chain, relaying } = stack;
    const payer = await relaying.payer("gasless decliner");
    const spent = await relaying.relayerSpend();
    const sending = sendTransferGasless(await clientOf(payer), {
      node,
      to: chain.holders[2] as Address,
      amount: "1",
      confirm: () => false,
    });
    expect((await failure(RejectedError, sending)).shortMessage).toBe("gasless transfer: declined; nothing was signed");
    expect(await relaying.relayerSpend()).toEqual(spent);
  });
});

describe("payInvoiceGasless", () => {
  it("pays the invoice through the relayer: the answer is the transaction that pays it with this payer's authorization", async () => {
    const { chain, relaying } = stack;
    const payer = await relaying.payer("gasless invoice payer");
    const signed = await relaying.invoice({ amount: 3_000_000_000n, maxTip: 1_000_000_000n });
    const client = await clientOf(payer);
    const escrowBefore = await relaying.balanceOf(chain.escrow);
    const shown: TransactionSummary[] = [];

    const paid = await payInvoiceGasless(client, {
      node,
      invoice: signed.invoice,
      merchantSignature: signed.merchantSignature,
      tip: "0.5",
      confirm: (s) => shown.push(s) > 0,
    });

    expect(shown).toEqual([paid.summary]);
    expect(paid.id).toBe(signed.id);
    expect(paid.request).toMatchObject({ payer: payer.address, tip: "500000000" });
    const receipt = await waitForRelayedPayment(client, { txHash: paid.hash, request: paid.request });
    expect(receipt.transactionHash).toBe(paid.hash);
    // The escrow holds the amount; the tip goes to the merchant; the payer paid both and no gas.
    expect(await relaying.balanceOf(chain.escrow)).toBe(escrowBefore + 3_000_000_000n);
    expect(await relaying.balanceOf(payer.address)).toBe(1_000_000_000_000n - 3_500_000_000n);
    await relaying.expectGasless(payer.address);
  });
});
