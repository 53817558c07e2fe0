// relayTransfer and relayPay against the node's real relayer (its fastify routes on loopback, a Hardhat
// chain, a LevelDB; test/node/relayer/fixture.ts): what it relays lands on the chain, a copy is
// `duplicate`, and its refusals are RelayErrors with its code, the user's (400) or a failure (503). A node
// that runs no relayer (the API server alone) is told apart.
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RelayError } from "../../../wallet/errors.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { http } from "../../../wallet/node/http.ts";
import { relayPay } from "../../../wallet/node/relayPay.ts";
import { relayTransfer } from "../../../wallet/node/relayTransfer.ts";
import type { TestChain } from "../../kit/chain.ts";
import { type RelayerServer, type Relaying, startRelayingServer } from "../../kit/relaying.ts";
import { serve } from "../../kit/serve-node.ts";
import { failure } from "../../kit/wallet-helpers.ts";

let chain: TestChain;
let relaying: Relaying;
let server: RelayerServer;
let close: () => Promise<void>;
let node: NodeClient;

beforeAll(async () => {
  ({ chain, relaying, server, close } = await startRelayingServer());
  node = createNodeClient({ transport: http(server.url) });
}, 120_000);
afterAll(() => close?.());

const landed = async (hash: Hex) => (await chain.client.waitForTransactionReceipt({ hash })).status;

describe("relayTransfer", () => {
  it("relays a signed transfer; the same request again is the same transaction, duplicate", async () => {
    const alice = await relaying.payer("client-alice", 10_000n);
    const bob = chain.holders[1] as Address;
    const before = await relaying.balanceOf(bob);
    const request = await relaying.signTransfer(alice, { to: bob, value: 2_500n });

    const first = await relayTransfer(node, { request });
    expect(first.duplicate).toBe(false);
    expect(await landed(first.txHash)).toBe("success");
    expect(await relaying.balanceOf(bob)).toBe(before + 2_500n);
    expect(await relayTransfer(node, { request })).toEqual({ ...first, duplicate: true });
    await relaying.expectGasless(alice.address);
  });

  it("a refusal is a RelayError with the relayer's code and words, the user's to fix", async () => {
    const mallory = await relaying.payer("client-mallory", 10_000n);
    const request = await relaying.signTransfer(mallory, { to: chain.holders[2] as Address, value: 100n });
    const error = await failure(RelayError, relayTransfer(node, { request: { ...request, value: "101" } }));
    expect({ code: error.code, relayCode: error.relayCode, status: error.status, kind: error.kind }).toEqual({
      code: "RELAY_INVALID_SIGNATURE",
      relayCode: "INVALID_SIGNATURE",
      status: 400,
      kind: "user",
    });
    expect(error.shortMessage).toMatch(/^the relayer refused: /);
    expect(error.details).toBe("INVALID_SIGNATURE (HTTP 400)");
  });

  it("a relayer out of budget (503) is a RelayError that is a failure", async () => {
    const spent = await relaying.startRelayer({ limits: { maxTransactionsPerHour: 1 } });
    try {
      const tight = createNodeClient({ transport: http(spent.url) });
      const erin = await relaying.payer("client-erin", 10_000n);
      const to = chain.holders[3] as Address;
      await relayTransfer(tight, { request: await relaying.signTransfer(erin, { to, value: 1n }) });
      const request = await relaying.signTransfer(erin, { to, value: 2n });
      const error = await failure(RelayError, relayTransfer(tight, { request }));
      expect([error.code, error.status, error.kind]).toEqual(["RELAY_RELAYER_UNAVAILABLE", 503, "failure"]);
      expect(error.shortMessage).toMatch(/^the relayer refused: the relayer's hourly budget is spent/);
    } finally {
      await spent.close();
    }
  });

  it("a node without a relayer: RELAY_NOT_FOUND, saying so", async () => {
    const served = await serve(chain);
    try {
      await served.indexer.sync();
      const request = await relaying.signTransfer(await relaying.payer("client-frank", 1_000n), {
        to: chain.holders[4] as Address,
        value: 1n,
      });
      const error = await failure(
        RelayError,
        relayTransfer(createNodeClient({ transport: http(served.url) }), { request }),
      );
      expect([error.code, error.status, error.kind]).toEqual(["RELAY_NOT_FOUND", 404, "user"]);
      expect(error.hint).toBe(
        "this node runs no relayer: start gram-node with --relayer-key-file, or send without --gasless",
      );
    } finally {
      await served.close();
    }
  });
});

describe("relayPay", () => {
  it("pays an invoice through the escrow; the answer's id is the invoice id", async () => {
    const carol = await relaying.payer("client-carol", 1_000_000n);
    const signed = await relaying.invoice({ amount: 300_000n, maxTip: 50_000n, payer: carol.address });
    const escrowBefore = await relaying.balanceOf(chain.escrow);

    const answer = await relayPay(node, { request: await relaying.signPay(carol, signed, { tip: 20_000n }) });
    expect(answer).toMatchObject({ duplicate: false, id: signed.id });
    expect(await landed(answer.txHash)).toBe("success");
    expect(await relaying.balanceOf(chain.escrow)).toBe(escrowBefore + 300_000n);
    await relaying.expectGasless(carol.address);
  });
});
