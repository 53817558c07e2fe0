import { network } from "hardhat";
import { decodeErrorResult, encodeFunctionData, getAddress, type Hash, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { keccakCount, traceCall } from "../../kit/trace-call.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

async function paidInvoice(f: GramFixture, overrides: Partial<Invoice> = {}) {
  const invoice = await f.makeInvoice(overrides);
  await f.pay(invoice);
  return { invoice, id: await f.escrow.read.invoiceId([invoice]) };
}

async function captured(f: GramFixture, hash: Hash) {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCaptured" }).map(
    (log) => log.args,
  );
}

describe("capture", () => {
  it("a partial capture moves exactly that amount from held to the merchant's balance and refundable", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    const payerBefore = await f.token.read.balanceOf([payer.account.address]);
    const merchantWalletBefore = await f.token.read.balanceOf([merchant.account.address]);

    const hash = await f.escrow.write.capture([invoice, gram("5")], { account: merchant.account });

    expect(await captured(f, hash)).toEqual([{ id, amount: gram("5"), cashback: 0n }]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("7.5"), refundable: gram("5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("5"));
    // Capturing is bookkeeping: no token leaves the escrow.
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([merchant.account.address])).toBe(merchantWalletBefore);
  });

  it("repeated captures add up until everything held is captured", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await paidInvoice(f);

    await f.escrow.write.capture([invoice, gram("2")], { account: merchant.account });
    await f.escrow.write.capture([invoice, gram("3")], { account: merchant.account });
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("7.5"), refundable: gram("5"), disputedAt: 0 });
    const hash = await f.escrow.write.capture([invoice, gram("7.5")], { account: merchant.account });

    expect(await captured(f, hash)).toEqual([{ id, amount: gram("7.5"), cashback: 0n }]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
  });

  it("capture reverts when more is requested than is held", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });

    await expectRevert(
      f.escrow.write.capture([invoice, gram("2.5") + 1n], { account: merchant.account }),
      "EscrowInsufficientHeld",
      [id, gram("2.5"), gram("2.5") + 1n],
    );
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("2.5"), refundable: gram("10"), disputedAt: 0 });
  });

  it("capture reverts on a zero amount", async () => {
    const f = await load();
    const { invoice } = await paidInvoice(f);
    await expectRevert(
      f.escrow.write.capture([invoice, 0n], { account: f.accounts.merchant.account }),
      "EscrowZeroAmount",
      [],
    );
  });

  it("only the invoice's merchant may capture", async () => {
    const f = await load();
    const { merchant, other, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);

    await expectRevert(f.escrow.write.capture([invoice, gram("1")], { account: other.account }), "EscrowNotMerchant", [
      getAddress(other.account.address),
      getAddress(merchant.account.address),
    ]);
    await expectRevert(f.escrow.write.capture([invoice, gram("1")], { account: payer.account }), "EscrowNotMerchant", [
      getAddress(payer.account.address),
      getAddress(merchant.account.address),
    ]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("12.5"), refundable: 0n, disputedAt: 0 });
  });

  it("a stranger's capture is refused before the invoice is hashed: no KECCAK256 runs", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    const { invoice } = await paidInvoice(f);
    const data = encodeFunctionData({ abi: merchantEscrowAbi, functionName: "capture", args: [invoice, gram("1")] });

    const stranger = await traceCall(connection, { from: other.account.address, to: f.escrow.address, data });
    const rightful = await traceCall(connection, { from: merchant.account.address, to: f.escrow.address, data });

    expect(stranger.revert && decodeErrorResult({ abi: merchantEscrowAbi, data: stranger.revert }).errorName).toBe(
      "EscrowNotMerchant",
    );
    expect(keccakCount(stranger.opcodes)).toBe(0);
    // The merchant's capture hashes the invoice (struct hash and digest) and the payment's slot.
    expect(rightful.revert).toBeUndefined();
    expect(keccakCount(rightful.opcodes)).toBeGreaterThanOrEqual(3);
  });

  it("capture works one second before captureBefore", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore - 1);

    await f.escrow.write.capture([invoice, gram("1")], { account: f.accounts.merchant.account });
    expect((await f.escrow.read.paymentOf([id])).refundable).toBe(gram("1"));
  });

  it("capture reverts at captureBefore", async () => {
    const f = await load();
    const { invoice } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore);

    await expectRevert(
      f.escrow.write.capture([invoice, gram("1")], { account: f.accounts.merchant.account }),
      "EscrowAfterCaptureDeadline",
      [BigInt(invoice.captureBefore), BigInt(invoice.captureBefore)],
    );
  });

  it("capture reverts after captureBefore", async () => {
    const f = await load();
    const { invoice } = await paidInvoice(f);
    const now = invoice.captureBefore + 3600;
    await f.networkHelpers.time.setNextBlockTimestamp(now);

    await expectRevert(
      f.escrow.write.capture([invoice, gram("1")], { account: f.accounts.merchant.account }),
      "EscrowAfterCaptureDeadline",
      [BigInt(now), BigInt(invoice.captureBefore)],
    );
  });

  it("capture reverts on an unpaid invoice", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    await expectRevert(
      f.escrow.write.capture([invoice, gram("1")], { account: f.accounts.merchant.account }),
      "EscrowNotPaid",
      [id],
    );
  });

  it("capture reverts once everything held was captured", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });

    await expectRevert(f.escrow.write.capture([invoice, 1n], { account: merchant.account }), "EscrowNothingHeld", [id]);
  });

  it("capture reverts while the payment is disputed", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });

    await expectRevert(f.escrow.write.capture([invoice, gram("1")], { account: merchant.account }), "EscrowDisputed", [
      id,
    ]);
    expect((await f.escrow.read.paymentOf([id])).held).toBe(invoice.amount);
  });

  it("a capture of one invoice leaves another invoice of the same merchant untouched", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const first = await paidInvoice(f);
    const second = await paidInvoice(f, { amount: gram("4") });

    await f.escrow.write.capture([first.invoice, gram("12.5")], { account: merchant.account });

    expect(await f.escrow.read.paymentOf([second.id])).toEqual({ held: gram("4"), refundable: 0n, disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
  });
});
