// The escrow against tokens that misbehave: fee-on-transfer tokens are refused at payment, tokens
// that return false make the operation revert instead of losing funds (but for the cashback on a
// capture, which is credited to the payer instead), and USDT-shaped tokens that return nothing work
// end to end.
import { network } from "hardhat";
import { type Address, getAddress, parseEventLogs, parseUnits } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { DAY, deployGram, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());

const UNITS = 10n ** 9n;

async function deployHostile() {
  const f = await deployGram(connection);
  const { payer } = f.accounts;
  const feeToken = await f.viem.deployContract("FeeOnTransferToken");
  const falseToken = await f.viem.deployContract("FalseReturnToken");
  const usdt = await f.viem.deployContract("NoReturnToken");
  await feeToken.write.mint([payer.account.address, 1_000n * UNITS]);
  await feeToken.write.approve([f.escrow.address, 1_000n * UNITS], { account: payer.account });
  await falseToken.write.mint([payer.account.address, 1_000n * UNITS]);
  await falseToken.write.approve([f.escrow.address, 1_000n * UNITS], { account: payer.account });
  await usdt.write.mint([payer.account.address, parseUnits("1000", 6)]);
  await usdt.write.approve([f.escrow.address, parseUnits("1000", 6)], { account: payer.account });
  return { ...f, feeToken, falseToken, usdt };
}
const load = () => connection.networkHelpers.loadFixture(deployHostile);

describe("fee-on-transfer token", () => {
  it("pay reverts EscrowTokenShortfall with the amount expected and received, and records nothing", async () => {
    const f = await load();
    const payer = f.accounts.payer.account.address;
    const invoice = await f.makeInvoice({ token: f.feeToken.address, amount: 100n * UNITS, maxTip: 10n * UNITS });
    const id = await f.escrow.read.invoiceId([invoice]);
    const tip = 5n * UNITS;
    const sent = invoice.amount + tip;
    const payerBefore = await f.feeToken.read.balanceOf([payer]);
    const supplyBefore = await f.feeToken.read.totalSupply();

    await expectRevert(f.pay(invoice, { tip }), "EscrowTokenShortfall", [
      getAddress(f.feeToken.address),
      sent,
      sent - sent / 100n,
    ]);

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe("0x0000000000000000000000000000000000000000");
    expect(await f.feeToken.read.balanceOf([payer])).toBe(payerBefore);
    expect(await f.feeToken.read.balanceOf([f.escrow.address])).toBe(0n);
    expect(await f.feeToken.read.balanceOf([invoice.merchant])).toBe(0n);
    expect(await f.feeToken.read.totalSupply()).toBe(supplyBefore);
  });

  it("a fee-on-transfer payment whose 1% fee rounds to zero is accepted: the escrow receives exactly the amount", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ token: f.feeToken.address, amount: 1n });
    await f.pay(invoice);
    const id = await f.escrow.read.invoiceId([invoice]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 1n, refundable: 0n, disputedAt: 0 });
    expect(await f.feeToken.read.balanceOf([f.escrow.address])).toBe(1n);
  });
});

describe("false-returning token", () => {
  it("pay reverts SafeERC20FailedOperation(token) when transferFrom returns false, and records nothing", async () => {
    const f = await load();
    const payer = f.accounts.payer.account.address;
    await f.falseToken.write.setFailing([true]);
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payerBefore = await f.falseToken.read.balanceOf([payer]);

    await expectRevert(f.pay(invoice), "SafeERC20FailedOperation", [getAddress(f.falseToken.address)]);

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
    expect(await f.falseToken.read.balanceOf([payer])).toBe(payerBefore);
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(0n);
  });

  it("void reverts SafeERC20FailedOperation when the token starts failing after payment; the funds stay held and can be voided later", async () => {
    const f = await load();
    const payer = f.accounts.payer.account.address;
    const merchant = f.accounts.merchant.account;
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payerBefore = await f.falseToken.read.balanceOf([payer]);
    await f.pay(invoice);
    await f.falseToken.write.setFailing([true]);

    await expectRevert(f.escrow.write.void([invoice], { account: merchant }), "SafeERC20FailedOperation", [
      getAddress(f.falseToken.address),
    ]);

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(await f.falseToken.read.balanceOf([payer])).toBe(payerBefore - invoice.amount);

    await f.falseToken.write.setFailing([false]);
    await f.escrow.write.void([invoice], { account: merchant });
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    expect(await f.falseToken.read.balanceOf([payer])).toBe(payerBefore);
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(0n);
  });

  it("reclaim reverts SafeERC20FailedOperation when the token fails, and the payer's funds stay held", async () => {
    const f = await load();
    const payer = f.accounts.payer.account;
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS });
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);
    await f.falseToken.write.setFailing([true]);

    await expectRevert(f.escrow.write.reclaim([invoice], { account: payer }), "SafeERC20FailedOperation", [
      getAddress(f.falseToken.address),
    ]);

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
  });

  it("capture with cashback goes through when the token refuses the cashback: it is credited to the payer, who claims it later", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const payer = f.accounts.payer.account;
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS, cashbackBps: 500 });
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    const payerBefore = await f.falseToken.read.balanceOf([payer.address]);
    await f.falseToken.write.setFailing([true]);

    const hash = await f.escrow.write.capture([invoice, 4n * UNITS], { account: merchant });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const credited = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCredited" });
    expect(credited.map((e) => e.args)).toEqual([
      { id, payer: getAddress(payer.address), token: getAddress(f.falseToken.address), amount: UNITS / 5n },
    ]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({
      held: 6n * UNITS,
      refundable: 3_800_000_000n,
      disputedAt: 0,
    });
    expect(await f.escrow.read.balanceOf([merchant.address, f.falseToken.address])).toBe(3_800_000_000n);
    expect(await f.escrow.read.creditOf([payer.address, f.falseToken.address])).toBe(UNITS / 5n);
    expect(await f.falseToken.read.balanceOf([payer.address])).toBe(payerBefore);

    // While the token fails, so does the claim, and the credit stays.
    await expectRevert(
      f.escrow.write.claim([f.falseToken.address, payer.address], { account: payer }),
      "SafeERC20FailedOperation",
      [getAddress(f.falseToken.address)],
    );
    await f.falseToken.write.setFailing([false]);
    await f.escrow.write.claim([f.falseToken.address, payer.address], { account: payer });
    expect(await f.falseToken.read.balanceOf([payer.address])).toBe(payerBefore + UNITS / 5n);
    expect(await f.escrow.read.creditOf([payer.address, f.falseToken.address])).toBe(0n);
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(6n * UNITS + 3_800_000_000n);
  });

  it("withdraw reverts SafeERC20FailedOperation when the token fails; the merchant's balance and the fees stay", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS });
    await f.pay(invoice);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    await f.falseToken.write.setFailing([true]);

    await expectRevert(
      f.escrow.write.withdraw([f.falseToken.address, invoice.amount, merchant.address], { account: merchant }),
      "SafeERC20FailedOperation",
      [getAddress(f.falseToken.address)],
    );

    expect(await f.escrow.read.balanceOf([merchant.address, f.falseToken.address])).toBe(invoice.amount);
    expect(await f.escrow.read.feesOf([getAddress(f.falseToken.address)])).toBe(0n);
    expect(await f.falseToken.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(await f.falseToken.read.balanceOf([merchant.address])).toBe(0n);

    await f.falseToken.write.setFailing([false]);
    await f.escrow.write.withdraw([f.falseToken.address, invoice.amount, merchant.address], { account: merchant });
    const fee = (invoice.amount * BigInt(WITHDRAW_FEE_BPS)) / 10_000n;
    expect(await f.falseToken.read.balanceOf([merchant.address])).toBe(invoice.amount - fee);
    expect(await f.escrow.read.feesOf([getAddress(f.falseToken.address)])).toBe(fee);
  });

  it("refund reverts SafeERC20FailedOperation when the token fails; the refundable amount and the merchant's balance stay", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const invoice = await f.makeInvoice({ token: f.falseToken.address, amount: 10n * UNITS });
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    await f.falseToken.write.setFailing([true]);

    await expectRevert(
      f.escrow.write.refund([invoice, 3n * UNITS], { account: merchant }),
      "SafeERC20FailedOperation",
      [getAddress(f.falseToken.address)],
    );

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: invoice.amount, disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.address, f.falseToken.address])).toBe(invoice.amount);
  });
});

describe("no-return token (USDT-shaped, 6 decimals)", () => {
  it("pays, captures with cashback, withdraws, voids the rest and collects fees with exact balances", async () => {
    const f = await load();
    const { merchant, payer, treasury } = f.accounts;
    const usdt = f.usdt;
    const balances = async (who: Address[]) => Promise.all(who.map((a) => usdt.read.balanceOf([a])));
    const invoice = await f.makeInvoice({
      token: usdt.address,
      amount: parseUnits("25", 6),
      maxTip: parseUnits("2", 6),
      cashbackBps: 300,
    });
    const id = await f.escrow.read.invoiceId([invoice]);
    const tip = parseUnits("1.5", 6);
    const [payer0, merchant0] = await balances([payer.account.address, merchant.account.address]);
    const supply = await usdt.read.totalSupply();

    await f.pay(invoice, { tip });
    expect(await balances([payer.account.address, merchant.account.address, f.escrow.address])).toEqual([
      (payer0 ?? 0n) - invoice.amount - tip,
      (merchant0 ?? 0n) + tip,
      invoice.amount,
    ]);

    // Capture 20 of 25 USDT: 3% cashback (0.6) goes back to the payer, 19.4 to the merchant's balance.
    const captured = parseUnits("20", 6);
    const cashback = (captured * 300n) / 10_000n;
    await f.escrow.write.capture([invoice, captured], { account: merchant.account });
    expect(cashback).toBe(parseUnits("0.6", 6));
    expect(await f.escrow.read.paymentOf([id])).toEqual({
      held: invoice.amount - captured,
      refundable: captured - cashback,
      disputedAt: 0,
    });
    expect(await f.escrow.read.balanceOf([merchant.account.address, usdt.address])).toBe(captured - cashback);

    // Withdraw everything: 0.5% fee stays in the escrow for the treasury.
    const withdrawn = captured - cashback;
    const fee = (withdrawn * BigInt(WITHDRAW_FEE_BPS)) / 10_000n;
    await f.escrow.write.withdraw([usdt.address, withdrawn, merchant.account.address], {
      account: merchant.account,
    });
    expect(await f.escrow.read.feesOf([usdt.address])).toBe(fee);

    // Void the remaining 5 USDT back to the payer, then collect the fee.
    await f.networkHelpers.time.increase(DAY);
    await f.escrow.write.void([invoice], { account: merchant.account });
    await f.escrow.write.collectFees([usdt.address]);

    expect(
      await balances([payer.account.address, merchant.account.address, treasury.account.address, f.escrow.address]),
    ).toEqual([(payer0 ?? 0n) - tip - captured + cashback, (merchant0 ?? 0n) + tip + withdrawn - fee, fee, 0n]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: withdrawn, disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, usdt.address])).toBe(0n);
    expect(await f.escrow.read.feesOf([usdt.address])).toBe(0n);
    expect(await usdt.read.totalSupply()).toBe(supply);
  });

  it("refunds from the merchant's wallet through a no-return transferFrom once the balance is withdrawn", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const usdt = f.usdt;
    const invoice = await f.makeInvoice({ token: usdt.address, amount: parseUnits("10", 6) });
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });
    await f.escrow.write.withdraw([usdt.address, invoice.amount, merchant.account.address], {
      account: merchant.account,
    });
    await usdt.write.approve([f.escrow.address, invoice.amount], { account: merchant.account });
    const fee = (invoice.amount * BigInt(WITHDRAW_FEE_BPS)) / 10_000n;
    const payerBefore = await usdt.read.balanceOf([payer.account.address]);

    await f.escrow.write.refund([invoice, parseUnits("4", 6)], { account: merchant.account });

    expect(await usdt.read.balanceOf([payer.account.address])).toBe(payerBefore + parseUnits("4", 6));
    expect(await usdt.read.balanceOf([merchant.account.address])).toBe(invoice.amount - fee - parseUnits("4", 6));
    expect(await usdt.read.balanceOf([f.escrow.address])).toBe(fee);
    expect(await f.escrow.read.paymentOf([id])).toEqual({
      held: 0n,
      refundable: parseUnits("6", 6),
      disputedAt: 0,
    });
  });
});
