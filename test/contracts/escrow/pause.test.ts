import { network } from "hardhat";
import { getAddress, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** A paid invoice with 5 GRAM captured (7.5 held), and 2 GRAM withdrawn so fees are pending; then the pause. */
async function pausedWithPayment(f: GramFixture) {
  const { merchant, owner } = f.accounts;
  const invoice = await f.makeInvoice();
  const payerBefore = await f.token.read.balanceOf([f.accounts.payer.account.address]);
  await f.pay(invoice);
  await f.escrow.write.capture([invoice, gram("5")], { account: merchant.account });
  await f.escrow.write.withdraw([f.token.address, gram("2"), merchant.account.address], {
    account: merchant.account,
  });
  await f.escrow.write.pause({ account: owner.account });
  return { invoice, id: await f.escrow.read.invoiceId([invoice]), payerBefore };
}

describe("pause", () => {
  it("only the owner may pause and unpause", async () => {
    const f = await load();
    const { owner, other, arbiter } = f.accounts;

    for (const caller of [other, arbiter]) {
      await expectRevert(f.escrow.write.pause({ account: caller.account }), "OwnableUnauthorizedAccount", [
        getAddress(caller.account.address),
      ]);
    }
    expect(await f.escrow.read.paused()).toBe(false);
    await f.escrow.write.pause({ account: owner.account });
    expect(await f.escrow.read.paused()).toBe(true);
    await expectRevert(f.escrow.write.unpause({ account: other.account }), "OwnableUnauthorizedAccount", [
      getAddress(other.account.address),
    ]);
    expect(await f.escrow.read.paused()).toBe(true);
  });

  it("while paused, paying reverts and the invoice stays unpaid", async () => {
    const f = await load();
    const { invoice, id } = await pausedWithPayment(f);
    const fresh = await f.makeInvoice();

    await expectRevert(f.pay(fresh), "EnforcedPause", []);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("7.5"), refundable: gram("5"), disputedAt: 0 });
    expect(await f.escrow.read.isInvoiceUsed([fresh.merchant, fresh.nonce])).toBe(false);
    expect(invoice.captureBefore).toBeGreaterThan(await f.networkHelpers.time.latest());
  });

  it("while paused, the merchant still captures and the payer still confirms: a pause never lets captureBefore pass on them", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await pausedWithPayment(f);

    // The last second of the capture window falls inside the pause.
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore - 1);
    await f.escrow.write.capture([invoice, gram("2.5")], { account: merchant.account });
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("5"), refundable: gram("7.5"), disputedAt: 0 });
    await f.escrow.write.confirm([invoice], { account: payer.account });

    expect(await f.escrow.read.paused()).toBe(true);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("10.5"));
  });

  it("while paused, void, refund, withdraw and collectFees still return funds", async () => {
    const f = await load();
    const { merchant, payer, other, treasury } = f.accounts;
    const { invoice, id, payerBefore } = await pausedWithPayment(f);
    const treasuryBefore = await f.token.read.balanceOf([treasury.account.address]);

    await f.escrow.write.void([invoice], { account: merchant.account });
    await f.escrow.write.withdraw([f.token.address, gram("1"), merchant.account.address], {
      account: merchant.account,
    });
    await f.escrow.write.refund([invoice, gram("2")], { account: merchant.account });
    await f.escrow.write.collectFees([f.token.address], { account: other.account });

    // Paid 12.5, got back the held 7.5 and a 2 GRAM refund.
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("3"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("3"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
    // Fees: 0.5% of 2 GRAM and of 1 GRAM.
    expect(await f.token.read.balanceOf([treasury.account.address])).toBe(treasuryBefore + gram("0.015"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
  });

  it("while paused, dispute and resolve still work", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await pausedWithPayment(f);

    await f.escrow.write.dispute([invoice], { account: payer.account });
    await f.escrow.write.resolve([invoice, gram("7.5")], { account: arbiter.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("3"));
  });

  it("while paused, the payer can still reclaim at captureBefore", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id, payerBefore } = await pausedWithPayment(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);

    await f.escrow.write.reclaim([invoice], { account: payer.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("5"), disputedAt: 0 });
  });

  it("unpause restores paying, and captures and confirmations go on", async () => {
    const f = await load();
    const { merchant, owner, payer } = f.accounts;
    const { invoice, id } = await pausedWithPayment(f);

    await f.escrow.write.unpause({ account: owner.account });

    await f.escrow.write.capture([invoice, gram("2.5")], { account: merchant.account });
    await f.escrow.write.confirm([invoice], { account: payer.account });
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    const fresh = await f.makeInvoice();
    await f.pay(fresh);
    expect(await f.escrow.read.isInvoiceUsed([fresh.merchant, fresh.nonce])).toBe(true);
  });

  it("the owner cannot renounce ownership while paused, which would stop payments forever", async () => {
    const f = await load();
    const { owner } = f.accounts;
    await pausedWithPayment(f);

    await expectRevert(f.escrow.write.renounceOwnership({ account: owner.account }), "EnforcedPause", []);

    expect(await f.escrow.read.owner()).toBe(getAddress(owner.account.address));
    await f.escrow.write.unpause({ account: owner.account });
    await f.escrow.write.renounceOwnership({ account: owner.account });
    expect(await f.escrow.read.owner()).toBe(zeroAddress);
    // Renounced while running: nobody can pause again, and payments go on.
    await expectRevert(f.escrow.write.pause({ account: owner.account }), "OwnableUnauthorizedAccount", [
      getAddress(owner.account.address),
    ]);
    const fresh = await f.makeInvoice();
    await f.pay(fresh);
    expect(await f.escrow.read.isInvoiceUsed([fresh.merchant, fresh.nonce])).toBe(true);
  });

  it("pausing twice or unpausing while running reverts", async () => {
    const f = await load();
    const { owner } = f.accounts;
    await expectRevert(f.escrow.write.unpause({ account: owner.account }), "ExpectedPause", []);
    await f.escrow.write.pause({ account: owner.account });
    await expectRevert(f.escrow.write.pause({ account: owner.account }), "EnforcedPause", []);
  });
});
