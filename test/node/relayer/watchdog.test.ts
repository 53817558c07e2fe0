// The relayer's watchdog against Hardhat's mempool: a relay dropped from the mempool is sent again, one
// priced out by a rising base fee is replaced with a higher fee, a nonce its relay can no longer fill
// is closed with a zero-value transfer to itself, and in every case the relays after it land. Past a
// queue depth new relays are refused (503, with the reason) instead of answered 200 and stalled.
import {
  type Address,
  createWalletClient,
  type Hex,
  http,
  parseGwei,
  TransactionReceiptNotFoundError,
  toHex,
} from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RelayerLimits } from "../../../node/relayer/limits.ts";
import type { RelayTransferRequestJson } from "../../../protocol/relay.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { expectRefused, type RelayerServer, type Relaying, setupRelaying } from "../../kit/relaying.ts";

let chain: TestChain;
let relaying: Relaying;
let server: RelayerServer | undefined;

beforeAll(async () => {
  chain = await startChain();
  relaying = await setupRelaying(chain);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await chain.rpc("evm_setIntervalMining", [0]);
  await chain.automine(true);
});
afterAll(async () => {
  await chain?.close();
  await relaying?.cleanup();
});

/** A relayer whose watchdog runs only when the test calls `check()`, unless `limits` says otherwise. */
async function start(limits: Partial<RelayerLimits> = {}, dataDir?: string) {
  server = await relaying.startRelayer({
    limits: { watchdogIntervalMs: 3_600_000, ...limits },
    ...(dataDir === undefined ? {} : { dataDir }),
  });
  return server;
}

async function relay(relayer: RelayerServer, request: RelayTransferRequestJson): Promise<Hex> {
  const answer = await relayer.post("/v1/relay/transfer", request);
  expect(answer.status).toBe(200);
  return answer.json.txHash;
}

async function transferOf(label: string, value = 10n) {
  const payer = await relaying.payer(label, 1_000n);
  return { payer, request: await relaying.signTransfer(payer, { to: chain.holders[0] as Address, value }) };
}

async function receiptStatus(hash: Hex) {
  try {
    return (await chain.client.getTransactionReceipt({ hash })).status;
  } catch (error) {
    if (error instanceof TransactionReceiptNotFoundError) return "not mined";
    throw error;
  }
}

const drop = async (hash: Hex) => expect(await chain.rpc("hardhat_dropTransaction", [hash])).toBe(true);

describe("watchdog", () => {
  it("sends a relay dropped from the mempool again, so that the relays after it land", async () => {
    const relayer = await start();
    const [a, b] = [await transferOf("dropped"), await transferOf("behind")];
    await chain.automine(false);
    const first = await relay(relayer, a.request);
    // Answered once broadcast: the node already holds it.
    expect((await chain.client.getTransaction({ hash: first })).blockNumber).toBeNull();
    await drop(first);
    const second = await relay(relayer, b.request);

    await relayer.relayer.check();
    await chain.mine();

    expect([await receiptStatus(first), await receiptStatus(second)]).toEqual(["success", "success"]);
    expect([await relaying.balanceOf(a.payer.address), await relaying.balanceOf(b.payer.address)]).toEqual([
      990n,
      990n,
    ]);
    await relayer.relayer.check();
    const status = await (await fetch(`${relayer.url}/v1/relay/status`)).json();
    expect(status).toMatchObject({
      address: relaying.relayerAddress,
      pending: 0,
      rebroadcasts: 1,
      replacements: 0,
      gapsClosed: 0,
      lastError: null,
      budget: { transactions: 2 },
    });
  });

  it("replaces a relay priced out by a rising base fee, and a copy of it is answered with the replacement", async () => {
    const relayer = await start();
    const { payer, request } = await transferOf("priced-out");
    await chain.automine(false);
    try {
      const first = await relay(relayer, request);
      await chain.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(parseGwei("100"))]);
      await chain.mine();
      expect(await receiptStatus(first)).toBe("not mined");

      await relayer.relayer.check();

      const copy = await relayer.post("/v1/relay/transfer", request);
      expect(copy.json).toMatchObject({ duplicate: true });
      expect(copy.json.txHash).not.toBe(first);
      const replacement = await chain.client.getTransaction({ hash: copy.json.txHash });
      expect(replacement.maxFeePerGas).toBeGreaterThan(parseGwei("100"));
      await chain.mine();
      expect([await receiptStatus(first), await receiptStatus(copy.json.txHash)]).toEqual(["not mined", "success"]);
      expect(await relaying.balanceOf(payer.address)).toBe(990n);
      expect(relayer.relayer.status().replacements).toBe(1);
    } finally {
      await chain.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(parseGwei("1"))]);
    }
  });

  it("closes a nonce its relay can no longer fill with a zero-value transfer to itself; the next relay lands", async () => {
    const relayer = await start();
    const [a, b] = [await transferOf("spent-elsewhere"), await transferOf("after-the-gap")];
    await chain.automine(false);
    const first = await relay(relayer, a.request);
    await drop(first);
    // Meanwhile the same authorization reaches the chain another way: the relay could now only revert.
    const { from, to, value, validAfter, validBefore, nonce, signature } = a.request;
    await chain.send(
      chain.owner,
      chain.token,
      chain.tokenCall("transferWithAuthorization", [
        from,
        to,
        BigInt(value),
        BigInt(validAfter),
        BigInt(validBefore),
        nonce,
        signature,
      ]),
    );
    await chain.mine();
    const gapNonce = await chain.client.getTransactionCount({ address: relaying.relayerAddress });
    const second = await relay(relayer, b.request);

    await relayer.relayer.check();
    await chain.mine();

    expect(await receiptStatus(second)).toBe("success");
    const block = await chain.client.getBlock({ includeTransactions: true });
    const filler = block.transactions.find((tx) => tx.nonce === gapNonce);
    expect(filler).toMatchObject({
      from: relaying.relayerAddress.toLowerCase(),
      to: relaying.relayerAddress.toLowerCase(),
      value: 0n,
      gas: 21_000n,
    });
    expect(relayer.relayer.status().gapsClosed).toBe(1);
    // The authorization moved once (by the other submitter); a copy is refused, not answered with the filler.
    expect(await relaying.balanceOf(a.payer.address)).toBe(990n);
    await expectRefused(relaying, () => relayer.post("/v1/relay/transfer", a.request), {
      code: "NONCE_USED",
      message: `${a.payer.address} has already used or canceled the authorization nonce ${nonce}`,
    });
  });

  it("closes a gap that another sender's dropped transaction left, where it recorded nothing", async () => {
    const { request } = await transferOf("after-foreign-gap");
    await chain.automine(false);
    // The operator sends from the relayer's key behind its back; the relayer counts past it.
    const operator = createWalletClient({ account: relaying.relayerKey, transport: http(chain.url) });
    const foreign = await operator.sendTransaction({ chain: null, to: chain.owner, value: 1n });
    const gapNonce = (await chain.client.getTransaction({ hash: foreign })).nonce;
    const relayer = await start();
    const second = await relay(relayer, request);
    await drop(foreign);

    await relayer.relayer.check();
    await chain.mine();

    expect(await receiptStatus(second)).toBe("success");
    const block = await chain.client.getBlock({ includeTransactions: true });
    expect(block.transactions.find((tx) => tx.nonce === gapNonce)).toMatchObject({
      to: relaying.relayerAddress.toLowerCase(),
      value: 0n,
    });
    expect(relayer.relayer.status().gapsClosed).toBe(1);
  });

  it("refuses new relays with 503 and the reason once too many of its transactions wait to be mined", async () => {
    const relayer = await start({ maxQueue: 2 });
    const requests = [await transferOf("queued-1"), await transferOf("queued-2"), await transferOf("queued-3")];
    await chain.automine(false);
    await relay(relayer, requests[0]?.request as RelayTransferRequestJson);
    await relay(relayer, requests[1]?.request as RelayTransferRequestJson);

    const answer = await expectRefused(relaying, () => relayer.post("/v1/relay/transfer", requests[2]?.request), {
      status: 503,
      code: "RELAYER_UNAVAILABLE",
      message:
        /^2 of the relayer's transactions are waiting to be mined \(the oldest, nonce \d+, sent \d+ s ago\); it takes new relays below 2$/,
    });
    expect(answer.headers.get("retry-after")).toBe("3600");

    await chain.mine();
    await chain.automine(true);
    expect((await relayer.post("/v1/relay/transfer", requests[2]?.request)).status).toBe(200);
  });

  it("runs on its own every interval, from start until close", async () => {
    const relayer = await start({ watchdogIntervalMs: 50 });
    const [a, b] = [await transferOf("loop-dropped"), await transferOf("loop-behind")];
    await chain.automine(false);
    const first = await relay(relayer, a.request);
    await drop(first);
    // Its nonce is past the dropped one: the chain holds it back until the gap is filled.
    const second = await relay(relayer, b.request);
    // A block every 100 ms from now on, as a live chain would make them.
    await chain.rpc("evm_setIntervalMining", [100]);

    await waitFor(async () => (await receiptStatus(second)) === "success", 20_000, "the relay after the gap");

    expect(await receiptStatus(first)).toBe("success");
    expect(relayer.relayer.status().rebroadcasts).toBeGreaterThanOrEqual(1);
  });

  it("remembers its pending transactions across a restart, and sends a dropped one again", async () => {
    const before = await start();
    const { payer, request } = await transferOf("restart-dropped");
    await chain.automine(false);
    const first = await relay(before, request);
    await drop(first);
    await before.close();

    const after = await start({}, before.dataDir);
    await after.relayer.check();
    await chain.mine();

    expect(await receiptStatus(first)).toBe("success");
    expect(await relaying.balanceOf(payer.address)).toBe(990n);
  });
});
