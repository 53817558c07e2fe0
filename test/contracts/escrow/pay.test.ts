import { network } from "hardhat";
import { type Address, getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** Token balances of the escrow, the payer and the merchant, to compare before and after. */
async function balances(f: GramFixture, payer: Address = f.accounts.payer.account.address) {
  const [escrow, payerBalance, merchant] = await Promise.all([
    f.token.read.balanceOf([f.escrow.address]),
    f.token.read.balanceOf([payer]),
    f.token.read.balanceOf([f.accounts.merchant.account.address]),
  ]);
  return { escrow, payer: payerBalance, merchant };
}

/** The fixture's accounts, checksummed as events and errors decode them. */
function addressesOf(f: GramFixture) {
  return Object.fromEntries(
    Object.entries(f.accounts).map(([name, client]) => [name, getAddress(client.account.address)]),
  ) as Record<keyof GramFixture["accounts"], Address>;
}

describe("pay", () => {
  it("pay moves exactly the amount from the payer into the escrow and records it as held", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    const before = await balances(f);
    await f.pay(invoice);
    const after = await balances(f);
    expect(after.escrow - before.escrow).toBe(invoice.amount);
    expect(before.payer - after.payer).toBe(invoice.amount);
    expect(after.merchant).toBe(before.merchant);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(true);
  });

  it("pay emits InvoicePaid with the id, merchant, payer, token, amount and tip", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice({ amount: gram("7.25") });
    const id = await f.escrow.read.invoiceId([invoice]);
    const receipt = await f.pay(invoice, { tip: gram("1.5") });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs });
    expect(events.map((event) => event.eventName)).toEqual(["InvoicePaid"]);
    expect(events[0]?.address).toBe(f.escrow.address.toLowerCase());
    expect(events[0]?.args).toEqual({
      id,
      merchant: a.merchant,
      payer: a.payer,
      token: getAddress(f.token.address),
      amount: gram("7.25"),
      tip: gram("1.5"),
    });
  });

  it("pay returns the invoice id", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice);
    const { result } = await f.escrow.simulate.pay([invoice, signature, 0n], {
      account: a.payer,
    });
    expect(result).toBe(await f.escrow.read.invoiceId([invoice]));
  });

  it("pay succeeds one second before payBefore", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.payBefore - 1);
    const receipt = await f.pay(invoice);
    expect(receipt.status).toBe("success");
    const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    expect(block.timestamp).toBe(BigInt(invoice.payBefore - 1));
  });

  it("pay reverts at payBefore with EscrowInvoiceExpired(now, payBefore)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.payBefore);
    await expectRevert(f.escrow.write.pay([invoice, signature, 0n], { account: a.payer }), "EscrowInvoiceExpired", [
      BigInt(invoice.payBefore),
      BigInt(invoice.payBefore),
    ]);
  });

  it("pay reverts after payBefore with EscrowInvoiceExpired(now, payBefore)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice);
    const now = invoice.payBefore + 3600;
    await f.networkHelpers.time.setNextBlockTimestamp(now);
    await expectRevert(f.escrow.write.pay([invoice, signature, 0n], { account: a.payer }), "EscrowInvoiceExpired", [
      BigInt(now),
      BigInt(invoice.payBefore),
    ]);
  });

  it("a payer-bound invoice paid by anyone else reverts with EscrowWrongPayer(expected, actual)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice();
    const before = await balances(f, a.other);
    await expectRevert(f.pay(invoice, { from: a.other }), "EscrowWrongPayer", [a.payer, a.other]);
    expect(await balances(f, a.other)).toEqual(before);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  });

  it("an open invoice (payer zero) can be paid by anyone and records who paid", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payer = a.other;
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    const before = await balances(f, payer);
    const receipt = await f.pay(invoice, { from: payer });
    const after = await balances(f, payer);
    expect(before.payer - after.payer).toBe(invoice.amount);
    expect(after.escrow - before.escrow).toBe(invoice.amount);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(payer);
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args.payer).toBe(payer);
  });

  it("a payer-bound invoice leaves openInvoicePayer at zero", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
  });

  it("an invoice for 0 reverts with EscrowInvalidAmount(0)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ amount: 0n });
    await expectRevert(f.pay(invoice), "EscrowInvalidAmount", [0n]);
  });

  it("an invoice for 2^104 reverts with EscrowInvalidAmount(2^104)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ amount: 2n ** 104n });
    await expectRevert(f.pay(invoice), "EscrowInvalidAmount", [2n ** 104n]);
  });

  it("an invoice for 2^104 - 1, the largest amount, is held in full", async () => {
    const f = await load();
    const a = addressesOf(f);
    const amount = 2n ** 104n - 1n;
    const payer = a.payer;
    await f.token.write.mint([payer, amount]);
    await f.token.write.approve([f.escrow.address, amount], { account: payer });
    const invoice = await f.makeInvoice({ amount });
    const id = await f.escrow.read.invoiceId([invoice]);
    const before = await balances(f);
    await f.pay(invoice);
    const after = await balances(f);
    expect(after.escrow - before.escrow).toBe(amount);
    expect(before.payer - after.payer).toBe(amount);
    expect((await f.escrow.read.paymentOf([id])).held).toBe(amount);
  });

  it("cashback above 10,000 bps reverts with EscrowInvalidCashback(cashbackBps)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ cashbackBps: 10_001 });
    await expectRevert(f.pay(invoice), "EscrowInvalidCashback", [10_001n]);
  });

  it("cashback of exactly 10,000 bps is accepted", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ cashbackBps: 10_000 });
    const receipt = await f.pay(invoice);
    expect(receipt.status).toBe("success");
  });

  it("captureBefore before payBefore reverts with EscrowInvalidDeadlines(payBefore, captureBefore, refundBefore)", async () => {
    const f = await load();
    const base = await f.makeInvoice();
    const invoice = await f.makeInvoice({ captureBefore: base.payBefore - 1 });
    await expectRevert(f.pay(invoice), "EscrowInvalidDeadlines", [
      BigInt(invoice.payBefore),
      BigInt(invoice.captureBefore),
      BigInt(invoice.refundBefore),
    ]);
  });

  it("refundBefore before captureBefore reverts with EscrowInvalidDeadlines(payBefore, captureBefore, refundBefore)", async () => {
    const f = await load();
    const base = await f.makeInvoice();
    const invoice = await f.makeInvoice({ refundBefore: base.captureBefore - 1 });
    await expectRevert(f.pay(invoice), "EscrowInvalidDeadlines", [
      BigInt(invoice.payBefore),
      BigInt(invoice.captureBefore),
      BigInt(invoice.refundBefore),
    ]);
  });

  it("equal deadlines (payBefore = captureBefore = refundBefore) are accepted", async () => {
    const f = await load();
    const base = await f.makeInvoice();
    const invoice = await f.makeInvoice({ captureBefore: base.payBefore, refundBefore: base.payBefore });
    const receipt = await f.pay(invoice);
    expect(receipt.status).toBe("success");
  });

  it("an invoice is paid at most once: the second payment reverts with EscrowInvoiceUsed and moves nothing", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice);
    const before = await balances(f);
    await expectRevert(f.pay(invoice), "EscrowInvoiceUsed", [getAddress(invoice.merchant), invoice.nonce]);
    expect(await balances(f)).toEqual(before);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
  });

  it("an open invoice is paid at most once, even by another payer", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    await f.pay(invoice, { from: a.payer });
    const before = await balances(f, a.payer2);
    await expectRevert(f.pay(invoice, { from: a.payer2 }), "EscrowInvoiceUsed", [
      getAddress(invoice.merchant),
      invoice.nonce,
    ]);
    expect(await balances(f, a.payer2)).toEqual(before);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(a.payer);
  });

  it("another invoice reusing a paid merchant nonce reverts with EscrowInvoiceUsed", async () => {
    const f = await load();
    const first = await f.makeInvoice();
    await f.pay(first);
    const second = await f.makeInvoice({ nonce: first.nonce, amount: gram("1") });
    expect(await f.escrow.read.invoiceId([second])).not.toBe(await f.escrow.read.invoiceId([first]));
    const before = await balances(f);
    await expectRevert(f.pay(second), "EscrowInvoiceUsed", [getAddress(first.merchant), first.nonce]);
    expect(await balances(f)).toEqual(before);
  });

  it("the same nonce from another merchant is a separate invoice number", async () => {
    const f = await load();
    const a = addressesOf(f);
    const first = await f.makeInvoice();
    await f.pay(first);
    const second = await f.makeInvoice({ merchant: a.merchant2, nonce: first.nonce });
    const id = await f.escrow.read.invoiceId([second]);
    const before = await balances(f);
    await f.pay(second);
    const after = await balances(f);
    expect(after.escrow - before.escrow).toBe(second.amount);
    expect((await f.escrow.read.paymentOf([id])).held).toBe(second.amount);
    expect(await f.escrow.read.isInvoiceUsed([second.merchant, second.nonce])).toBe(true);
  });

  it("pay reverts with EnforcedPause while paused and works again after unpause", async () => {
    const f = await load();
    const a = addressesOf(f);
    const invoice = await f.makeInvoice();
    await f.escrow.write.pause({ account: a.owner });
    const before = await balances(f);
    await expectRevert(f.pay(invoice), "EnforcedPause", []);
    expect(await balances(f)).toEqual(before);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
    await f.escrow.write.unpause({ account: a.owner });
    await f.pay(invoice);
    expect((await balances(f)).escrow - before.escrow).toBe(invoice.amount);
  });
});
