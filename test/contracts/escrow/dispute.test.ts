import { network } from "hardhat";
import { getAddress, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

async function paidInvoice(f: GramFixture) {
  const invoice = await f.makeInvoice();
  await f.pay(invoice);
  return { invoice, id: await f.escrow.read.invoiceId([invoice]) };
}

describe("dispute", () => {
  it("the payer's dispute records disputedAt and emits PaymentDisputed", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    const now = (await f.networkHelpers.time.latest()) + 100;
    await f.networkHelpers.time.setNextBlockTimestamp(now);

    const hash = await f.escrow.write.dispute([invoice], { account: f.accounts.payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentDisputed" });
    expect(events.map((e) => e.args)).toEqual([{ id }]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("12.5"), refundable: 0n, disputedAt: now });
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
  });

  it("only the payer may dispute", async () => {
    const f = await load();
    const { merchant, payer, other } = f.accounts;
    const { invoice, id } = await paidInvoice(f);

    for (const caller of [merchant, other]) {
      await expectRevert(f.escrow.write.dispute([invoice], { account: caller.account }), "EscrowNotPayer", [
        getAddress(caller.account.address),
        getAddress(payer.account.address),
      ]);
    }
    expect((await f.escrow.read.paymentOf([id])).disputedAt).toBe(0);
  });

  it("dispute reverts at captureBefore", async () => {
    const f = await load();
    const { invoice } = await paidInvoice(f);
    await f.networkHelpers.time.setNextBlockTimestamp(invoice.captureBefore);

    await expectRevert(
      f.escrow.write.dispute([invoice], { account: f.accounts.payer.account }),
      "EscrowAfterCaptureDeadline",
      [BigInt(invoice.captureBefore), BigInt(invoice.captureBefore)],
    );
  });

  it("dispute needs held funds: not once everything was captured, not before payment", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });
    await expectRevert(f.escrow.write.dispute([invoice], { account: payer.account }), "EscrowNothingHeld", [id]);

    const unpaid = await f.makeInvoice();
    await expectRevert(f.escrow.write.dispute([unpaid], { account: payer.account }), "EscrowNotPaid", [
      await f.escrow.read.invoiceId([unpaid]),
    ]);
  });

  it("a second dispute of the same payment reverts", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const { disputedAt } = await f.escrow.read.paymentOf([id]);

    await expectRevert(f.escrow.write.dispute([invoice], { account: payer.account }), "EscrowDisputed", [id]);
    expect((await f.escrow.read.paymentOf([id])).disputedAt).toBe(disputedAt);
  });

  it("a dispute after a partial capture covers only the rest, and refunds stay open", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const payerBefore = await f.token.read.balanceOf([payer.account.address]);

    await f.escrow.write.refund([invoice, gram("4")], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore + gram("4"));
    const payment = await f.escrow.read.paymentOf([id]);
    expect(payment.held).toBe(gram("2.5"));
    expect(payment.refundable).toBe(gram("6"));
    expect(payment.disputedAt).not.toBe(0);
  });
});
