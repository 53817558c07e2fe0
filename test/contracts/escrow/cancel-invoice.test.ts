import { network } from "hardhat";
import { getAddress, maxUint256, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { deployGram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("cancelInvoice", () => {
  it("the merchant cancels an invoice number: InvoiceCanceled is emitted and the number is used", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account.address;
    expect(await f.escrow.read.isInvoiceUsed([merchant, 42n])).toBe(false);
    const hash = await f.escrow.write.cancelInvoice([42n], { account: merchant });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs });
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      ["InvoiceCanceled", { merchant: getAddress(merchant), nonce: 42n }],
    ]);
    expect(await f.escrow.read.isInvoiceUsed([merchant, 42n])).toBe(true);
  });

  it("a canceled invoice cannot be paid: EscrowInvoiceUsed(merchant, nonce), nothing moves", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await f.escrow.write.cancelInvoice([invoice.nonce], { account: invoice.merchant });
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await expectRevert(f.pay(invoice), "EscrowInvoiceUsed", [getAddress(invoice.merchant), invoice.nonce]);
    expect(await f.token.read.balanceOf([invoice.payer])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
  });

  it("cancelling the same invoice number twice reverts with EscrowInvoiceUsed(merchant, nonce)", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account.address;
    await f.escrow.write.cancelInvoice([7n], { account: merchant });
    await expectRevert(f.escrow.write.cancelInvoice([7n], { account: merchant }), "EscrowInvoiceUsed", [
      getAddress(merchant),
      7n,
    ]);
  });

  it("a paid invoice can no longer be canceled", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await f.pay(invoice);
    await expectRevert(
      f.escrow.write.cancelInvoice([invoice.nonce], { account: invoice.merchant }),
      "EscrowInvoiceUsed",
      [getAddress(invoice.merchant), invoice.nonce],
    );
    expect((await f.escrow.read.paymentOf([await f.escrow.read.invoiceId([invoice])])).held).toBe(invoice.amount);
  });

  it("another account cancelling the same number spends only its own number, not the merchant's", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const other = f.accounts.other.account.address;
    await f.escrow.write.cancelInvoice([invoice.nonce], { account: other });
    expect(await f.escrow.read.isInvoiceUsed([other, invoice.nonce])).toBe(true);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
    await f.pay(invoice);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
  });

  it("cancelling one number leaves its neighbours in the same and the next bitmap word unused", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account.address;
    await f.escrow.write.cancelInvoice([255n], { account: merchant });
    expect(await f.escrow.read.isInvoiceUsed([merchant, 255n])).toBe(true);
    for (const nonce of [0n, 254n, 256n, 511n]) {
      expect(await f.escrow.read.isInvoiceUsed([merchant, nonce])).toBe(false);
    }
    await f.escrow.write.cancelInvoice([256n], { account: merchant });
    expect(await f.escrow.read.isInvoiceUsed([merchant, 256n])).toBe(true);
    expect(await f.escrow.read.isInvoiceUsed([merchant, 257n])).toBe(false);
  });

  it("the largest invoice number, 2^256 - 1, can be canceled", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account.address;
    await f.escrow.write.cancelInvoice([maxUint256], { account: merchant });
    expect(await f.escrow.read.isInvoiceUsed([merchant, maxUint256])).toBe(true);
    expect(await f.escrow.read.isInvoiceUsed([merchant, maxUint256 - 1n])).toBe(false);
  });

  it("cancelling stays open while the escrow is paused", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account.address;
    await f.escrow.write.pause({ account: f.accounts.owner.account.address });
    await f.escrow.write.cancelInvoice([3n], { account: merchant });
    expect(await f.escrow.read.isInvoiceUsed([merchant, 3n])).toBe(true);
  });
});
