import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { cancelTransaction } from "../../../wallet/actions/cancelTransaction.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { speedUp } from "../../../wallet/actions/speedUp.ts";
import { NotPendingError } from "../../../wallet/errors.ts";
import { describeTransaction } from "../../../wallet/summary/describeTransaction.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const payer = addressOf("payer");
const other = addressOf("other");

/** Runs `fn` with automine off, so that sent transactions wait in the mempool until `evm_mine`. */
async function withoutAutomine<T>(fn: () => Promise<T>): Promise<T> {
  await chain.rpc("evm_setAutomine", [false]);
  try {
    return await fn();
  } finally {
    await chain.rpc("evm_setAutomine", [true]);
  }
}

async function blockTransactions() {
  const block = await chain.publicClient.getBlock({ blockTag: "latest" });
  return block.transactions;
}

describe("speed-up and cancel", () => {
  it("speed-up replaces a pending transfer: same nonce, fees ≥ 10% higher, only the replacement is mined", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const before = await chain.balanceOf(other);
    await withoutAutomine(async () => {
      const original = await sendTransfer(client, { to: other, amount: "7" });
      const faster = await speedUp(client, { hash: original.hash });
      expect(faster.nonce).toBe(original.nonce);
      const [a, b] = await Promise.all([
        chain.publicClient.getTransaction({ hash: original.hash }).catch(() => undefined),
        chain.publicClient.getTransaction({ hash: faster.hash }),
      ]);
      // The replacement is pending; the node dropped the original from its pool.
      expect(b.blockNumber).toBeNull();
      expect(a).toBeUndefined();
      const oldFee = original.summary.fee;
      const newFee = faster.summary.fee;
      expect(newFee?.maxFeePerGas).toBeGreaterThanOrEqual(((oldFee?.maxFeePerGas ?? 0n) * 110n) / 100n);
      expect(newFee?.maxPriorityFeePerGas).toBeGreaterThanOrEqual(((oldFee?.maxPriorityFeePerGas ?? 0n) * 110n) / 100n);
      // Same transfer, shown as such, with the nonce it takes over.
      expect({ ...faster.summary, fee: undefined, nonce: undefined }).toEqual({ ...original.summary, fee: undefined });
      expect(faster.summary.nonce).toBe(original.nonce);
      expect(
        await describeTransaction(client, {
          transaction: {
            chainId: b.chainId as number,
            to: b.to as `0x${string}`,
            data: b.input,
            value: b.value,
            gas: b.gas,
            maxFeePerGas: b.maxFeePerGas as bigint,
            maxPriorityFeePerGas: b.maxPriorityFeePerGas as bigint,
          },
          from: b.from,
          replacesNonce: b.nonce,
        }),
      ).toEqual(faster.summary);

      await chain.rpc("evm_mine");
      expect(await blockTransactions()).toEqual([faster.hash]);
      expect((await chain.publicClient.getTransactionReceipt({ hash: faster.hash })).status).toBe("success");
      await expect(chain.publicClient.getTransactionReceipt({ hash: original.hash })).rejects.toThrow();
    });
    expect(await chain.balanceOf(other)).toBe(before + gram("7"));
  });

  it("cancel replaces a pending transfer by a 0-value transfer to oneself: no tokens move", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const [payerBefore, otherBefore] = [await chain.balanceOf(payer), await chain.balanceOf(other)];
    await withoutAutomine(async () => {
      const original = await sendTransfer(client, { to: other, amount: "9" });
      const cancel = await cancelTransaction(client, { hash: original.hash });
      expect(cancel.nonce).toBe(original.nonce);
      expect(cancel.summary).toMatchObject({
        action: "cancel",
        recipient: payer,
        contract: payer,
        amount: { units: 0n, formatted: "0" },
        nonce: original.nonce,
        token: undefined,
      });
      expect(cancel.summary.fee?.gas).toBe(21_000n);
      await chain.rpc("evm_mine");
      expect(await blockTransactions()).toEqual([cancel.hash]);
    });
    expect(await chain.balanceOf(payer)).toBe(payerBefore);
    expect(await chain.balanceOf(other)).toBe(otherBefore);
    // The nonce after the cancel is free for the next send.
    const next = await sendTransfer(client, { to: other, amount: "1" });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash: next.hash })).status).toBe("success");
  });

  it("refuses to speed up or cancel a transaction that is already mined", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const { hash } = await sendTransfer(client, { to: other, amount: "1" });
    await chain.publicClient.waitForTransactionReceipt({ hash });
    expect((await failure(NotPendingError, speedUp(client, { hash }))).shortMessage).toMatch(/already mined in block/);
    await failure(NotPendingError, cancelTransaction(client, { hash }));
  });

  it("refuses to replace another account's transaction", async () => {
    const sender = await chain.clientFor(ROLE.other);
    const stranger = await chain.clientFor(ROLE.payer);
    await withoutAutomine(async () => {
      const { hash } = await sendTransfer(sender, { to: payer, amount: "1" });
      const error = await failure(NotPendingError, speedUp(stranger, { hash }));
      expect(error.shortMessage).toBe(`transaction ${hash} was sent by ${other}, not by ${payer}`);
      await chain.rpc("evm_mine");
    });
  });
});
