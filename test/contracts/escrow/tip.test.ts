import { network } from "hardhat";
import { type Address, getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
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

describe("tip", () => {
  it("a tip of exactly maxTip goes straight to the merchant's wallet; the escrow holds only the amount", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const tip = invoice.maxTip;
    const id = await f.escrow.read.invoiceId([invoice]);
    const before = await balances(f);
    const receipt = await f.pay(invoice, { tip });
    const after = await balances(f);
    expect(after.merchant - before.merchant).toBe(tip);
    expect(after.escrow - before.escrow).toBe(invoice.amount);
    expect(before.payer - after.payer).toBe(invoice.amount + tip);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    // The tip is not part of the merchant's balance in the escrow either.
    expect(await f.escrow.read.balanceOf([invoice.merchant, invoice.token])).toBe(0n);
    const transfers = parseEventLogs({ abi: gramTokenAbi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfers.map((t) => t.args)).toEqual([
      {
        from: getAddress(f.accounts.payer.account.address),
        to: getAddress(f.escrow.address),
        value: invoice.amount + tip,
      },
      { from: getAddress(f.escrow.address), to: getAddress(invoice.merchant), value: tip },
    ]);
  });

  it("a tip below maxTip goes to the merchant and is reported in InvoicePaid", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const tip = gram("0.75");
    const before = await balances(f);
    const receipt = await f.pay(invoice, { tip });
    const after = await balances(f);
    expect(after.merchant - before.merchant).toBe(tip);
    expect(after.escrow - before.escrow).toBe(invoice.amount);
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args.amount).toBe(invoice.amount);
    expect(event?.args.tip).toBe(tip);
  });

  it("without a tip nothing is sent to the merchant", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const before = await balances(f);
    const receipt = await f.pay(invoice);
    const after = await balances(f);
    expect(after.merchant).toBe(before.merchant);
    const transfers = parseEventLogs({ abi: gramTokenAbi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfers.map((t) => t.args.to)).toEqual([getAddress(f.escrow.address)]);
  });

  it("a tip above maxTip reverts with EscrowTipTooHigh(tip, maxTip) and moves nothing", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const tip = invoice.maxTip + 1n;
    const before = await balances(f);
    await expectRevert(f.pay(invoice, { tip }), "EscrowTipTooHigh", [tip, invoice.maxTip]);
    expect(await balances(f)).toEqual(before);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  });

  it("an invoice with maxTip 0 refuses any tip with EscrowTipTooHigh(tip, 0)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ maxTip: 0n });
    const before = await balances(f);
    await expectRevert(f.pay(invoice, { tip: 1n }), "EscrowTipTooHigh", [1n, 0n]);
    expect(await balances(f)).toEqual(before);
  });

  it("the tip on an open invoice comes from whoever pays it", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const payer = f.accounts.payer2.account.address;
    const tip = gram("2");
    const before = await balances(f, payer);
    await f.pay(invoice, { tip, from: payer });
    const after = await balances(f, payer);
    expect(before.payer - after.payer).toBe(invoice.amount + tip);
    expect(after.merchant - before.merchant).toBe(tip);
    expect(after.escrow - before.escrow).toBe(invoice.amount);
  });
});
