// Gasless transfers and invoice payments land on chain through the relayer's HTTP routes: balances
// move exactly, the payers (who hold no ETH) send nothing, the same authorization twice — at once, one
// after the other, or across a restart — is one transaction, and concurrent relays of different payers
// each get their own relayer nonce.
import { type Address, type Hex, parseGwei, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { TestChain } from "../../kit/chain.ts";
import { type RelayerServer, type Relaying, startRelayingServer } from "../../kit/relaying.ts";

let chain: TestChain;
let relaying: Relaying;
let server: RelayerServer;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ chain, relaying, server, close } = await startRelayingServer());
});
afterAll(() => close?.());

async function expectLanded(txHash: Hex) {
  const receipt = await chain.client.getTransactionReceipt({ hash: txHash });
  expect(receipt.status).toBe("success");
  expect(receipt.from).toBe(relaying.relayerAddress.toLowerCase());
  return receipt;
}

describe("gasless transfer", () => {
  it("moves exactly the authorized value and the payer spends no ETH", async () => {
    const alice = await relaying.payer("alice", 10_000n);
    const bob = chain.holders[0] as Address;
    const bobBefore = await relaying.balanceOf(bob);
    const request = await relaying.signTransfer(alice, { to: bob, value: 2_500n });

    const answer = await server.post("/v1/relay/transfer", request);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      duplicate: false,
      id: expect.any(String),
    });
    await expectLanded(answer.json.txHash);
    expect(await relaying.balanceOf(alice.address)).toBe(7_500n);
    expect(await relaying.balanceOf(bob)).toBe(bobBefore + 2_500n);
    await relaying.expectGasless(alice.address);
  });

  it("relays for a contract wallet through ERC-1271", async () => {
    const owner = await relaying.payer("wallet-owner", 0n);
    const wallet = await relaying.deployContractWallet(owner.address);
    await chain.assertMined(await chain.send(chain.owner, chain.token, chain.tokenCall("mint", [wallet, 1_000n])));
    const bob = chain.holders[0] as Address;
    const request = await relaying.signTransfer(owner, { to: bob, value: 400n, fromAddress: wallet });

    const answer = await server.post("/v1/relay/transfer", request);

    expect(answer.status).toBe(200);
    await expectLanded(answer.json.txHash);
    expect(await relaying.balanceOf(wallet)).toBe(600n);
  });
});

describe("gasless invoice payment", () => {
  it("holds the amount in escrow, pays the tip to the merchant, and the payer spends no ETH", async () => {
    const carol = await relaying.payer("carol", 1_000_000n);
    const merchant = chain.merchants[0] as Address;
    const merchantBefore = await relaying.balanceOf(merchant);
    const escrowBefore = await relaying.balanceOf(chain.escrow);
    const signed = await relaying.invoice({ merchant, amount: 300_000n, maxTip: 50_000n, payer: carol.address });
    const request = await relaying.signPay(carol, signed, { tip: 20_000n });

    const answer = await server.post("/v1/relay/pay", request);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ txHash: expect.any(String), duplicate: false, id: signed.id });
    await expectLanded(answer.json.txHash);
    expect(await relaying.balanceOf(carol.address)).toBe(1_000_000n - 320_000n);
    expect(await relaying.balanceOf(chain.escrow)).toBe(escrowBefore + 300_000n);
    expect(await relaying.balanceOf(merchant)).toBe(merchantBefore + 20_000n);
    const payment = await chain.client.readContract({
      address: chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "paymentOf",
      args: [signed.id],
    });
    expect(payment.held).toBe(300_000n);
    await relaying.expectGasless(carol.address);
  });
});

describe("idempotency", () => {
  it("answers the same transfer twice with the same transaction, sending one", async () => {
    const dave = await relaying.payer("dave", 1_000n);
    const request = await relaying.signTransfer(dave, { to: chain.holders[1] as Address, value: 100n });
    const nonceBefore = (await relaying.relayerSpend()).nonce;

    const first = await server.post("/v1/relay/transfer", request);
    const second = await server.post("/v1/relay/transfer", request);

    expect(first.json.duplicate).toBe(false);
    expect(second.json).toEqual({ ...first.json, duplicate: true });
    expect((await relaying.relayerSpend()).nonce).toBe(nonceBefore + 1);
    expect(await relaying.balanceOf(dave.address)).toBe(900n);
  });

  it("sends one transaction for the same payment sent twice at once", async () => {
    const erin = await relaying.payer("erin", 10_000n);
    const request = await relaying.signPay(erin, await relaying.invoice({ amount: 1_000n }));
    const nonceBefore = (await relaying.relayerSpend()).nonce;

    const answers = await Promise.all([server.post("/v1/relay/pay", request), server.post("/v1/relay/pay", request)]);

    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0]?.json.txHash).toBe(answers[1]?.json.txHash);
    expect(answers.map((a) => a.json.duplicate).sort()).toEqual([false, true]);
    expect((await relaying.relayerSpend()).nonce).toBe(nonceBefore + 1);
    expect(await relaying.balanceOf(erin.address)).toBe(9_000n);
  });

  it("remembers across a restart", async () => {
    const frank = await relaying.payer("frank", 1_000n);
    const transfer = await relaying.signTransfer(frank, { to: chain.holders[2] as Address, value: 10n });
    const pay = await relaying.signPay(frank, await relaying.invoice({ amount: 20n }));
    const first = await relaying.startRelayer();
    const sent = [await first.post("/v1/relay/transfer", transfer), await first.post("/v1/relay/pay", pay)];
    await first.close();
    const nonceBefore = (await relaying.relayerSpend()).nonce;

    const restarted = await relaying.startRelayer({ dataDir: first.dataDir });
    try {
      const again = [await restarted.post("/v1/relay/transfer", transfer), await restarted.post("/v1/relay/pay", pay)];
      expect(again.map((a) => a.json)).toEqual(sent.map((a) => ({ ...a.json, duplicate: true })));
    } finally {
      await restarted.close();
    }
    expect((await relaying.relayerSpend()).nonce).toBe(nonceBefore);
    expect(await relaying.balanceOf(frank.address)).toBe(970n);
  });

  it("refuses another payer of a relayed invoice with who paid it, never with the first payer's transaction", async () => {
    const [grace, heidi] = [await relaying.payer("grace", 1_000n), await relaying.payer("heidi", 1_000n)];
    const signed = await relaying.invoice({ amount: 100n });
    const first = await server.post("/v1/relay/pay", await relaying.signPay(grace, signed));
    expect(first.status).toBe(200);
    const spent = await relaying.relayerSpend();

    const second = await server.post("/v1/relay/pay", await relaying.signPay(heidi, signed));

    expect({ status: second.status, body: second.json }).toEqual({
      status: 400,
      body: { error: { code: "INVOICE_INVALID", message: `invoice ${signed.id} is already paid by ${grace.address}` } },
    });
    expect(JSON.stringify(second.json)).not.toContain(first.json.txHash.slice(2));
    expect(await relaying.relayerSpend()).toEqual(spent);
    expect(await relaying.balanceOf(heidi.address)).toBe(1_000n);
  });

  it("gives one of two payers of one open invoice, at the same moment, the payment and the other a refusal", async () => {
    const [ivan, judy] = [await relaying.payer("ivan", 1_000n), await relaying.payer("judy", 1_000n)];
    const signed = await relaying.invoice({ amount: 100n });
    const requests = [await relaying.signPay(ivan, signed), await relaying.signPay(judy, signed)];
    const nonceBefore = (await relaying.relayerSpend()).nonce;

    const answers = await Promise.all(requests.map((request) => server.post("/v1/relay/pay", request)));

    const paid = answers.findIndex((answer) => answer.status === 200);
    const refused = answers[1 - paid];
    const winner = [ivan, judy][paid] as typeof ivan;
    expect(refused?.json).toEqual({
      error: { code: "INVOICE_INVALID", message: `invoice ${signed.id} is already paid by ${winner.address}` },
    });
    expect((await relaying.relayerSpend()).nonce).toBe(nonceBefore + 1);
    expect((await chain.client.getTransactionReceipt({ hash: answers[paid]?.json.txHash })).status).toBe("success");
    const balances = [await relaying.balanceOf(ivan.address), await relaying.balanceOf(judy.address)];
    expect(balances[paid]).toBe(900n);
    expect(balances[1 - paid]).toBe(1_000n);
  });

  it("refuses another authorization under a transfer nonce already relayed, without its transaction", async () => {
    const kim = await relaying.payer("kim", 1_000n);
    const nonce = relaying.freshNonce();
    const first = await server.post(
      "/v1/relay/transfer",
      await relaying.signTransfer(kim, { to: chain.holders[1] as Address, value: 10n, nonce }),
    );
    expect(first.status).toBe(200);
    const spent = await relaying.relayerSpend();

    const other = await server.post(
      "/v1/relay/transfer",
      await relaying.signTransfer(kim, { to: chain.holders[2] as Address, value: 20n, nonce }),
    );

    expect({ status: other.status, body: other.json }).toEqual({
      status: 400,
      body: {
        error: {
          code: "NONCE_USED",
          message: `${kim.address} has already used the authorization nonce ${nonce}: this relayer relayed another authorization with it`,
        },
      },
    });
    expect(await relaying.relayerSpend()).toEqual(spent);
    expect(await relaying.balanceOf(kim.address)).toBe(990n);
  });
});

describe("a relay that reverted", () => {
  it("answers a copy with the revert, not duplicate: true", async () => {
    const lee = await relaying.payer("lee", 1_000n);
    const request = await relaying.signTransfer(lee, { to: chain.holders[1] as Address, value: 10n });
    let first: Awaited<ReturnType<typeof server.post>>;
    await chain.automine(false);
    try {
      first = await server.post("/v1/relay/transfer", request);
      expect(first.status).toBe(200);
      // Someone else submits the same authorization straight to the token, with a higher tip: it goes first.
      await chain.rpc("eth_sendTransaction", [
        {
          from: chain.owner,
          to: chain.token,
          data: chain.tokenCall("transferWithAuthorization", [
            request.from,
            request.to,
            BigInt(request.value),
            BigInt(request.validAfter),
            BigInt(request.validBefore),
            request.nonce,
            request.signature,
          ]),
          gas: toHex(200_000),
          maxPriorityFeePerGas: toHex(parseGwei("50")),
          maxFeePerGas: toHex(parseGwei("100")),
        },
      ]);
      await chain.mine();
    } finally {
      await chain.automine(true);
    }
    expect((await chain.client.getTransactionReceipt({ hash: first.json.txHash })).status).toBe("reverted");

    const again = await server.post("/v1/relay/transfer", request);

    expect({ status: again.status, body: again.json }).toEqual({
      status: 400,
      body: {
        error: {
          code: "REVERTED",
          message: `the relayed transaction ${first.json.txHash} reverted with ERC3009UsedAuthorization(${lee.address}, ${request.nonce})`,
        },
      },
    });
    expect(await relaying.balanceOf(lee.address)).toBe(990n);
  });
});

describe("concurrency", () => {
  it("lands 10 concurrent relays of different payers with distinct, consecutive relayer nonces", async () => {
    const payers = await Promise.all(Array.from({ length: 10 }, (_, i) => relaying.payer(`crowd-${i}`, 1_000n)));
    const to = chain.holders[3] as Address;
    const requests = await Promise.all(
      payers.map((p, i) =>
        i % 2 === 0
          ? relaying
              .signTransfer(p, { to, value: 100n + BigInt(i) })
              .then((body) => ["/v1/relay/transfer", body] as const)
          : relaying
              .invoice({ amount: 100n + BigInt(i) })
              .then((signed) => relaying.signPay(p, signed))
              .then((body) => ["/v1/relay/pay", body] as const),
      ),
    );
    const nonceBefore = (await relaying.relayerSpend()).nonce;

    const answers = await Promise.all(requests.map(([path, body]) => server.post(path, body)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const hashes = answers.map((a) => a.json.txHash as Hex);
    expect(new Set(hashes).size).toBe(10);
    const nonces = await Promise.all(
      hashes.map(async (hash) => {
        await expectLanded(hash);
        return (await chain.client.getTransaction({ hash })).nonce;
      }),
    );
    expect([...nonces].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => nonceBefore + i));
    for (const [i, p] of payers.entries()) {
      expect(await relaying.balanceOf(p.address)).toBe(1_000n - 100n - BigInt(i));
      await relaying.expectGasless(p.address);
    }
  });
});
