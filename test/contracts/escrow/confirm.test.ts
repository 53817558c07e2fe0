import { network } from "hardhat";
import { getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

async function paidInvoice(f: GramFixture, overrides: Partial<Invoice> = {}, from?: `0x${string}`) {
  const invoice = await f.makeInvoice(overrides);
  await f.pay(invoice, from === undefined ? {} : { from });
  return { invoice, id: await f.escrow.read.invoiceId([invoice]) };
}

describe("confirm", () => {
  it("the payer's confirm releases everything held to the merchant's balance", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    const payerBefore = await f.token.read.balanceOf([payer.account.address]);

    const hash = await f.escrow.write.confirm([invoice], { account: payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCaptured" });
    expect(events.map((e) => e.args)).toEqual([{ id, amount: gram("12.5"), cashback: 0n }]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
  });

  it("confirm after a partial capture releases only the rest", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, gram("4")], { account: merchant.account });

    await f.escrow.write.confirm([invoice], { account: payer.account });

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
  });

  it("only the payer may confirm", async () => {
    const f = await load();
    const { merchant, payer, other } = f.accounts;
    const { invoice, id } = await paidInvoice(f);

    for (const caller of [merchant, other]) {
      await expectRevert(f.escrow.write.confirm([invoice], { account: caller.account }), "EscrowNotPayer", [
        getAddress(caller.account.address),
        getAddress(payer.account.address),
      ]);
    }
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("12.5"), refundable: 0n, disputedAt: 0 });
  });

  it("confirm ends an open dispute and hands the held funds to the merchant", async () => {
    const f = await load();
    const { merchant, payer, arbiter } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });

    await f.escrow.write.confirm([invoice], { account: payer.account });

    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
    await expectRevert(f.escrow.write.resolve([invoice, 0n], { account: arbiter.account }), "EscrowNotDisputed", [id]);
  });

  it("confirm reverts when nothing is held or the invoice is unpaid", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });
    await expectRevert(f.escrow.write.confirm([invoice], { account: payer.account }), "EscrowNothingHeld", [id]);

    const unpaid = await f.makeInvoice();
    await expectRevert(f.escrow.write.confirm([unpaid], { account: payer.account }), "EscrowNotPaid", [
      await f.escrow.read.invoiceId([unpaid]),
    ]);
  });

  it("on an open invoice only whoever paid it may confirm", async () => {
    const f = await load();
    const { merchant, payer, payer2 } = f.accounts;
    const { invoice, id } = await paidInvoice(f, { payer: zeroAddress }, payer2.account.address);

    await expectRevert(f.escrow.write.confirm([invoice], { account: payer.account }), "EscrowNotPayer", [
      getAddress(payer.account.address),
      getAddress(payer2.account.address),
    ]);
    await f.escrow.write.confirm([invoice], { account: payer2.account });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("12.5"), disputedAt: 0 });
  });
});
