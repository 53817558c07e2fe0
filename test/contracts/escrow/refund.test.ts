import { network } from "hardhat";
import { decodeErrorResult, encodeFunctionData, getAddress, parseEventLogs, zeroAddress } from "viem";
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

/** A paid invoice of 12.5 GRAM, `captured` of it captured to the merchant. */
async function capturedInvoice(f: GramFixture, captured: bigint, overrides: Partial<Invoice> = {}) {
  const invoice = await f.makeInvoice(overrides);
  const payerBefore = await f.token.read.balanceOf([f.accounts.payer.account.address]);
  await f.pay(invoice);
  await f.escrow.write.capture([invoice, captured], { account: f.accounts.merchant.account });
  return { invoice, id: await f.escrow.read.invoiceId([invoice]), payerBefore };
}

async function balances(f: GramFixture) {
  const { merchant, payer } = f.accounts;
  return {
    escrow: await f.token.read.balanceOf([f.escrow.address]),
    payer: await f.token.read.balanceOf([payer.account.address]),
    merchantWallet: await f.token.read.balanceOf([merchant.account.address]),
    merchantBalance: await f.escrow.read.balanceOf([merchant.account.address, f.token.address]),
  };
}

describe("refund", () => {
  it("partial refunds come out of the merchant's balance and lower refundable", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await capturedInvoice(f, gram("12.5"));
    const before = await balances(f);

    const hash = await f.escrow.write.refund([invoice, gram("3")], { account: merchant.account });
    await f.escrow.write.refund([invoice, gram("2")], { account: merchant.account });

    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentRefunded" });
    expect(events.map((e) => e.args)).toEqual([{ id, amount: gram("3") }]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("7.5"), disputedAt: 0 });
    expect(await balances(f)).toEqual({
      escrow: before.escrow - gram("5"),
      payer: before.payer + gram("5"),
      merchantWallet: before.merchantWallet,
      merchantBalance: before.merchantBalance - gram("5"),
    });
  });

  it("refund reverts when more is requested than is refundable", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await capturedInvoice(f, gram("5"));

    await expectRevert(
      f.escrow.write.refund([invoice, gram("5") + 1n], { account: merchant.account }),
      "EscrowInsufficientRefundable",
      [id, gram("5"), gram("5") + 1n],
    );
  });

  it("held funds are not refundable: only captured ones are", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);

    await expectRevert(
      f.escrow.write.refund([invoice, gram("1")], { account: merchant.account }),
      "EscrowInsufficientRefundable",
      [id, 0n, gram("1")],
    );
  });

  it("refund works one second before refundBefore and reverts at it", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await capturedInvoice(f, gram("12.5"));

    await f.networkHelpers.time.setNextBlockTimestamp(invoice.refundBefore - 1);
    await f.escrow.write.refund([invoice, gram("1")], { account: merchant.account });
    expect((await f.escrow.read.paymentOf([id])).refundable).toBe(gram("11.5"));

    await f.networkHelpers.time.setNextBlockTimestamp(invoice.refundBefore);
    await expectRevert(
      f.escrow.write.refund([invoice, gram("1")], { account: merchant.account }),
      "EscrowAfterRefundDeadline",
      [BigInt(invoice.refundBefore), BigInt(invoice.refundBefore)],
    );
  });

  it("only the merchant may refund, and never a zero amount", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice } = await capturedInvoice(f, gram("12.5"));

    await expectRevert(f.escrow.write.refund([invoice, gram("1")], { account: payer.account }), "EscrowNotMerchant", [
      getAddress(payer.account.address),
      getAddress(merchant.account.address),
    ]);
    await expectRevert(f.escrow.write.refund([invoice, 0n], { account: merchant.account }), "EscrowZeroAmount", []);
  });

  it("a stranger's refund is refused before the invoice is hashed: no KECCAK256 runs", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    const { invoice } = await capturedInvoice(f, gram("12.5"));
    const data = encodeFunctionData({ abi: merchantEscrowAbi, functionName: "refund", args: [invoice, gram("1")] });

    const stranger = await traceCall(connection, { from: other.account.address, to: f.escrow.address, data });
    const rightful = await traceCall(connection, { from: merchant.account.address, to: f.escrow.address, data });

    expect(stranger.revert && decodeErrorResult({ abi: merchantEscrowAbi, data: stranger.revert }).errorName).toBe(
      "EscrowNotMerchant",
    );
    expect(keccakCount(stranger.opcodes)).toBe(0);
    expect(rightful.revert).toBeUndefined();
    expect(keccakCount(rightful.opcodes)).toBeGreaterThanOrEqual(3);
  });

  it("after a withdrawal the shortfall comes from the merchant's wallet through its allowance", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await capturedInvoice(f, gram("12.5"));
    await f.escrow.write.withdraw([f.token.address, gram("10"), merchant.account.address], {
      account: merchant.account,
    });
    await f.token.write.approve([f.escrow.address, gram("100")], { account: merchant.account });
    const before = await balances(f);
    expect(before.merchantBalance).toBe(gram("2.5"));

    await f.escrow.write.refund([invoice, gram("6")], { account: merchant.account });

    expect(await balances(f)).toEqual({
      escrow: before.escrow - gram("2.5"),
      payer: before.payer + gram("6"),
      merchantWallet: before.merchantWallet - gram("3.5"),
      merchantBalance: 0n,
    });
    expect(await f.token.read.allowance([merchant.account.address, f.escrow.address])).toBe(gram("96.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("6.5"), disputedAt: 0 });
  });

  it("without an allowance a refund beyond the merchant's balance reverts and moves nothing", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await capturedInvoice(f, gram("12.5"));
    await f.escrow.write.withdraw([f.token.address, gram("10"), merchant.account.address], {
      account: merchant.account,
    });
    const before = await balances(f);

    await expectRevert(
      f.escrow.write.refund([invoice, gram("6")], { account: merchant.account }),
      "ERC20InsufficientAllowance",
      [getAddress(f.escrow.address), 0n, gram("3.5")],
    );
    expect(await balances(f)).toEqual(before);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
  });

  it("a payer never gets back more than paid", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await capturedInvoice(f, gram("7"));
    await f.escrow.write.void([invoice], { account: merchant.account });
    await f.escrow.write.refund([invoice, gram("7")], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    await expectRevert(
      f.escrow.write.refund([invoice, 1n], { account: merchant.account }),
      "EscrowInsufficientRefundable",
      [id, 0n, 1n],
    );
  });

  it("a refund of one invoice cannot spend another invoice's refundable amount", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const small = await capturedInvoice(f, gram("2"));
    await capturedInvoice(f, gram("12.5"));

    await expectRevert(
      f.escrow.write.refund([small.invoice, gram("3")], { account: merchant.account }),
      "EscrowInsufficientRefundable",
      [small.id, gram("2"), gram("3")],
    );
  });

  it("a full refund of an open invoice pays whoever paid it and clears the payment", async () => {
    const f = await load();
    const { merchant, payer2 } = f.accounts;
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payer2Before = await f.token.read.balanceOf([payer2.account.address]);
    await f.pay(invoice, { from: payer2.account.address });
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });

    await f.escrow.write.refund([invoice, invoice.amount], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer2.account.address])).toBe(payer2Before);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });
});
