import { network } from "hardhat";
import { getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** A paid 12.5 GRAM invoice, `captured` of it captured, the rest disputed by the payer. */
async function disputedInvoice(f: GramFixture, captured = 0n) {
  const invoice = await f.makeInvoice();
  const payerBefore = await f.token.read.balanceOf([f.accounts.payer.account.address]);
  await f.pay(invoice);
  if (captured !== 0n) await f.escrow.write.capture([invoice, captured], { account: f.accounts.merchant.account });
  await f.escrow.write.dispute([invoice], { account: f.accounts.payer.account });
  return { invoice, id: await f.escrow.read.invoiceId([invoice]), payerBefore };
}

describe("resolve", () => {
  it("only the arbiter may resolve", async () => {
    const f = await load();
    const { arbiter, merchant, payer, owner } = f.accounts;
    const { invoice, id } = await disputedInvoice(f);

    for (const caller of [merchant, payer, owner]) {
      await expectRevert(f.escrow.write.resolve([invoice, 0n], { account: caller.account }), "EscrowNotArbiter", [
        getAddress(caller.account.address),
        getAddress(arbiter.account.address),
      ]);
    }
    expect((await f.escrow.read.paymentOf([id])).held).toBe(invoice.amount);
  });

  it("resolve reverts when no dispute is open", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await f.pay(invoice);
    const id = await f.escrow.read.invoiceId([invoice]);

    await expectRevert(
      f.escrow.write.resolve([invoice, 0n], { account: f.accounts.arbiter.account }),
      "EscrowNotDisputed",
      [id],
    );
  });

  it("resolve reverts when more goes to the payer than is held", async () => {
    const f = await load();
    const { invoice, id } = await disputedInvoice(f, gram("10"));

    await expectRevert(
      f.escrow.write.resolve([invoice, gram("2.5") + 1n], { account: f.accounts.arbiter.account }),
      "EscrowInsufficientHeld",
      [id, gram("2.5"), gram("2.5") + 1n],
    );
  });

  it("a split sends toPayer to the payer and captures the rest for the merchant", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await disputedInvoice(f);

    const hash = await f.escrow.write.resolve([invoice, gram("4")], { account: arbiter.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "DisputeResolved" });
    expect(events.map((e) => e.args)).toEqual([{ id, toPayer: gram("4"), toMerchant: gram("8.5"), cashback: 0n }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("8.5"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("8.5"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("8.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("8.5"), disputedAt: 0 });
  });

  it("resolving everything to the payer settles the payment completely", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await disputedInvoice(f);

    await f.escrow.write.resolve([invoice, invoice.amount], { account: arbiter.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });

  it("resolving after a partial capture splits only the held rest", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await disputedInvoice(f, gram("10"));

    await f.escrow.write.resolve([invoice, gram("1")], { account: arbiter.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("11.5"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("11.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("11.5"), disputedAt: 0 });
  });

  it("after a resolve nothing is held: capture and a new dispute revert, refunds work", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id } = await disputedInvoice(f);
    await f.escrow.write.resolve([invoice, 0n], { account: arbiter.account });

    await expectRevert(f.escrow.write.capture([invoice, 1n], { account: merchant.account }), "EscrowNothingHeld", [id]);
    await expectRevert(f.escrow.write.dispute([invoice], { account: payer.account }), "EscrowNothingHeld", [id]);
    await expectRevert(f.escrow.write.resolve([invoice, 0n], { account: arbiter.account }), "EscrowNotDisputed", [id]);
    const payerBefore = await f.token.read.balanceOf([payer.account.address]);
    await f.escrow.write.refund([invoice, gram("2")], { account: merchant.account });
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore + gram("2"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("10.5"), disputedAt: 0 });
  });

  it("resolving an open invoice pays whoever paid it and then forgets that payer", async () => {
    const f = await load();
    const { arbiter, payer2 } = f.accounts;
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payer2Before = await f.token.read.balanceOf([payer2.account.address]);
    await f.pay(invoice, { from: payer2.account.address });
    await f.escrow.write.dispute([invoice], { account: payer2.account });

    await f.escrow.write.resolve([invoice, invoice.amount], { account: arbiter.account });

    expect(await f.token.read.balanceOf([payer2.account.address])).toBe(payer2Before);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });

  it("the arbiter may still resolve after captureBefore while the payer has not reclaimed", async () => {
    const f = await load();
    const { arbiter, merchant } = f.accounts;
    const { invoice, id } = await disputedInvoice(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore + 1);

    await f.escrow.write.resolve([invoice, gram("2.5")], { account: arbiter.account });

    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("10"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("10"), disputedAt: 0 });
  });
});
