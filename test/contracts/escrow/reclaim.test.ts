import { network } from "hardhat";
import { getAddress, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { DAY, deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

const DISPUTE_TIMEOUT = 14 * DAY;

async function paidInvoice(f: GramFixture, overrides: Partial<Invoice> = {}) {
  const invoice = await f.makeInvoice(overrides);
  const payerBefore = await f.token.read.balanceOf([f.accounts.payer.account.address]);
  await f.pay(invoice);
  return { invoice, id: await f.escrow.read.invoiceId([invoice]), payerBefore };
}

/** An invoice whose capture window (30 days) outlasts the arbiter's 14 days. */
async function longInvoice(f: GramFixture) {
  const now = await f.networkHelpers.time.latest();
  return paidInvoice(f, { captureBefore: now + 30 * DAY, refundBefore: now + 60 * DAY });
}

describe("reclaim", () => {
  it("reclaim reverts before captureBefore", async () => {
    const f = await load();
    const { invoice } = await paidInvoice(f);
    const now = invoice.captureBefore - 1;
    await f.networkHelpers.time.setNextBlockTimestamp(now);

    await expectRevert(
      f.escrow.write.reclaim([invoice], { account: f.accounts.payer.account }),
      "EscrowBeforeReclaim",
      [BigInt(now), BigInt(invoice.captureBefore)],
    );
  });

  it("reclaim at captureBefore returns everything held to the payer and clears the slot", async () => {
    const f = await load();
    const { payer, merchant } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore);

    const hash = await f.escrow.write.reclaim([invoice], { account: payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentReclaimed" });
    expect(events.map((e) => e.args)).toEqual([{ id, amount: gram("12.5") }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
    await expectRevert(f.escrow.write.reclaim([invoice], { account: payer.account }), "EscrowNotPaid", [id]);
    await expectRevert(
      f.escrow.write.capture([invoice, 1n], { account: merchant.account }),
      "EscrowAfterCaptureDeadline",
    );
  });

  it("only the payer may reclaim", async () => {
    const f = await load();
    const { merchant, payer, other } = f.accounts;
    const { invoice } = await paidInvoice(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);

    for (const caller of [merchant, other]) {
      await expectRevert(f.escrow.write.reclaim([invoice], { account: caller.account }), "EscrowNotPayer", [
        getAddress(caller.account.address),
        getAddress(payer.account.address),
      ]);
    }
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
  });

  it("reclaim after a partial capture returns only the rest and keeps the refundable part", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, gram("8")], { account: merchant.account });
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);

    await f.escrow.write.reclaim([invoice], { account: payer.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("8"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("8"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("8"));
  });

  it("an unanswered dispute lets the payer reclaim at disputedAt + 14 days, before captureBefore", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id, payerBefore } = await longInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const { disputedAt } = await f.escrow.read.paymentOf([id]);
    expect(disputedAt + DISPUTE_TIMEOUT).toBeLessThan(invoice.captureBefore);
    await f.networkHelpers.time.setNextBlockTimestamp(disputedAt + DISPUTE_TIMEOUT);

    await f.escrow.write.reclaim([invoice], { account: payer.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });

  it("a disputed payment cannot be reclaimed one second before the arbiter's time is up", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id } = await longInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const { disputedAt } = await f.escrow.read.paymentOf([id]);
    const now = disputedAt + DISPUTE_TIMEOUT - 1;
    await f.networkHelpers.time.setNextBlockTimestamp(now);

    await expectRevert(f.escrow.write.reclaim([invoice], { account: payer.account }), "EscrowBeforeReclaim", [
      BigInt(now),
      BigInt(disputedAt + DISPUTE_TIMEOUT),
    ]);
    expect((await f.escrow.read.paymentOf([id])).held).toBe(invoice.amount);
  });

  it("a dispute two seconds before captureBefore leaves the arbiter its full 14 days: no reclaim at captureBefore", async () => {
    const f = await load();
    const { arbiter, payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore - 2);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const { disputedAt } = await f.escrow.read.paymentOf([id]);
    expect(disputedAt).toBe(invoice.captureBefore - 2);

    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore);
    await expectRevert(f.escrow.write.reclaim([invoice], { account: payer.account }), "EscrowBeforeReclaim", [
      BigInt(invoice.captureBefore),
      BigInt(disputedAt + DISPUTE_TIMEOUT),
    ]);
    await f.networkHelpers.time.setNextBlockTimestamp(disputedAt + DISPUTE_TIMEOUT - 1);
    await expectRevert(f.escrow.write.reclaim([invoice], { account: payer.account }), "EscrowBeforeReclaim", [
      BigInt(disputedAt + DISPUTE_TIMEOUT - 1),
      BigInt(disputedAt + DISPUTE_TIMEOUT),
    ]);
    // Until then the arbiter rules, after captureBefore too.
    await f.escrow.write.resolve([invoice, gram("2.5")], { account: arbiter.account });
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("10"), disputedAt: 0 });
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("10"));
  });

  it("a dispute opened late and left unanswered lets the payer reclaim at disputedAt + 14 days", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore - DAY);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const { disputedAt } = await f.escrow.read.paymentOf([id]);
    expect(disputedAt + DISPUTE_TIMEOUT).toBeGreaterThan(invoice.captureBefore);

    await f.networkHelpers.time.setNextBlockTimestamp(disputedAt + DISPUTE_TIMEOUT);
    const hash = await f.escrow.write.reclaim([invoice], { account: payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentReclaimed" });
    expect(events.map((e) => e.args)).toEqual([{ id, amount: invoice.amount }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });
});
