// The relayer recovers from what happens to a process with a key: another sender taking its nonce, a
// stop between recording a transaction and broadcasting it, a recorded transaction whose nonce went to
// another, and running out of gas money — without ever sending an authorization twice.
import {
  type Address,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  parseEther,
  toHex,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRelayRecords, transferRecordKey } from "../../../node/relayer/records.ts";
import { transferId } from "../../../node/relayer/relay-transfer.ts";
import { gramTokenAbi } from "../../../protocol/abis.ts";
import type { RelayTransferRequestJson } from "../../../protocol/relay.ts";
import { labeledKey } from "../../kit/accounts.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { type Relaying, setupRelaying } from "../../kit/relaying.ts";

let chain: TestChain;
let relaying: Relaying;

beforeAll(async () => {
  chain = await startChain();
  relaying = await setupRelaying(chain);
});
afterAll(async () => {
  await chain?.close();
  await relaying?.cleanup();
});

/** Signs the relayer's transaction for `request` at `nonce` without sending it, as the relayer would. */
async function signRelayTx(request: RelayTransferRequestJson, nonce: number): Promise<Hex> {
  const data = encodeFunctionData({
    abi: gramTokenAbi,
    functionName: "transferWithAuthorization",
    args: [
      request.from as Address,
      request.to as Address,
      BigInt(request.value),
      BigInt(request.validAfter),
      BigInt(request.validBefore),
      request.nonce as Hex,
      request.signature as Hex,
    ],
  });
  const fees = await chain.client.estimateFeesPerGas();
  return relaying.relayerKey.signTransaction({
    chainId: chain.chainId,
    to: chain.token,
    data,
    gas: 200_000n,
    nonce,
    ...fees,
  });
}

async function recordUnsent(dataDir: string, request: RelayTransferRequestJson, raw: Hex) {
  const records = await openRelayRecords({ dataDir });
  const id = transferId(request.from as Address, request.nonce as Hex);
  await records.put(transferRecordKey(chain.token, id), {
    kind: "transfer",
    id,
    txHash: keccak256(raw),
    raw,
    nonce: 0,
    at: Date.now(),
  });
  await records.close();
}

describe("recovery", () => {
  it("counts its nonce again from the chain when another sender used its key", async () => {
    const server = await relaying.startRelayer();
    try {
      const alice = await relaying.payer("alice", 1_000n);
      const to = chain.holders[0] as Address;
      expect(
        (await server.post("/v1/relay/transfer", await relaying.signTransfer(alice, { to, value: 1n }))).status,
      ).toBe(200);
      // The operator spends from the relayer's key behind its back.
      const operator = createWalletClient({ account: relaying.relayerKey, transport: http(chain.url) });
      await operator.sendTransaction({ chain: null, to: chain.owner, value: 1n });

      const answer = await server.post("/v1/relay/transfer", await relaying.signTransfer(alice, { to, value: 2n }));

      expect(answer.status).toBe(200);
      expect((await chain.client.getTransactionReceipt({ hash: answer.json.txHash })).status).toBe("success");
      expect(await relaying.balanceOf(alice.address)).toBe(997n);
    } finally {
      await server.close();
    }
  });

  it("broadcasts a recorded transaction the chain never saw, after a restart", async () => {
    const first = await relaying.startRelayer();
    await first.close();
    const bob = await relaying.payer("bob", 1_000n);
    const request = await relaying.signTransfer(bob, { to: chain.holders[0] as Address, value: 5n });
    const nonce = (await relaying.relayerSpend()).nonce;
    const raw = await signRelayTx(request, nonce);
    // It stopped after writing the record, before broadcasting.
    await recordUnsent(first.dataDir, request, raw);

    const restarted = await relaying.startRelayer({ dataDir: first.dataDir });
    try {
      const answer = await restarted.post("/v1/relay/transfer", request);
      expect(answer.json).toEqual({ txHash: keccak256(raw), duplicate: true, id: expect.any(String) });
      expect((await chain.client.getTransactionReceipt({ hash: keccak256(raw) })).status).toBe("success");
      expect((await relaying.relayerSpend()).nonce).toBe(nonce + 1);
      expect(await relaying.balanceOf(bob.address)).toBe(995n);
    } finally {
      await restarted.close();
    }
  });

  it("relays afresh when a recorded, never-seen transaction's nonce went to another", async () => {
    const first = await relaying.startRelayer();
    await first.close();
    const carol = await relaying.payer("carol", 1_000n);
    const request = await relaying.signTransfer(carol, { to: chain.holders[0] as Address, value: 7n });
    const stale = await signRelayTx(request, (await relaying.relayerSpend()).nonce - 1);
    await recordUnsent(first.dataDir, request, stale);

    const restarted = await relaying.startRelayer({ dataDir: first.dataDir });
    try {
      const answer = await restarted.post("/v1/relay/transfer", request);
      expect(answer.json.duplicate).toBe(false);
      expect(answer.json.txHash).not.toBe(keccak256(stale));
      expect((await chain.client.getTransactionReceipt({ hash: answer.json.txHash })).status).toBe("success");
      expect(await relaying.balanceOf(carol.address)).toBe(993n);
      // Now recorded for good.
      expect((await restarted.post("/v1/relay/transfer", request)).json).toEqual({ ...answer.json, duplicate: true });
    } finally {
      await restarted.close();
    }
  });

  it("answers 503 when it cannot pay the gas, forgets the attempt, and relays once funded", async () => {
    const poorKey = labeledKey("poor-relayer");
    const server = await relaying.startRelayer({ key: poorKey });
    try {
      const dave = await relaying.payer("dave", 1_000n);
      const request = await relaying.signTransfer(dave, { to: chain.holders[0] as Address, value: 9n });

      const refused = await server.post("/v1/relay/transfer", request);
      expect({ status: refused.status, error: refused.json.error }).toEqual({
        status: 503,
        error: { code: "RELAYER_UNAVAILABLE", message: "the relayer's account has too little ETH to pay the gas" },
      });
      expect(await chain.client.getTransactionCount({ address: poorKey.address })).toBe(0);

      await chain.client.request({
        method: "eth_sendTransaction" as never,
        params: [{ from: chain.owner, to: poorKey.address, value: toHex(parseEther("1")) }] as never,
      });
      const answer = await server.post("/v1/relay/transfer", request);
      expect({ status: answer.status, duplicate: answer.json.duplicate }).toEqual({ status: 200, duplicate: false });
      expect(await relaying.balanceOf(dave.address)).toBe(991n);
    } finally {
      await server.close();
    }
  });
});
