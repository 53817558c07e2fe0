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

/** A payment slot with nothing held, nothing refundable and no dispute. */
const CLEARED = { held: 0n, refundable: 0n, disputedAt: 0 };

/** Pays a fresh invoice (with `overrides`) from `from`; returns it, its id and `from`'s balance before paying. */
async function paidInvoice(f: GramFixture, overrides: Partial<Invoice> = {}, from = f.accounts.payer) {
  const invoice = await f.makeInvoice(overrides);
  const id = await f.escrow.read.invoiceId([invoice]);
  const payerBefore = await f.token.read.balanceOf([from.account.address]);
  await f.pay(invoice, { from: from.account.address });
  return { invoice, id, payerBefore };
}

/** The merchant voids `invoice`; returns the arguments of the PaymentVoided events it emitted. */
async function voidAsMerchant(f: GramFixture, invoice: Invoice) {
  const hash = await f.escrow.write.void([invoice], { account: f.accounts.merchant.account });
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentVoided" }).map((e) => e.args);
}

describe("void", () => {
  it("void returns everything held to the payer, whose balance is back to before the payment", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);

    expect(await voidAsMerchant(f, invoice)).toEqual([{ id, amount: gram("12.5") }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
  });

  it("only the merchant may void", async () => {
    const f = await load();
    const { merchant, payer, other } = f.accounts;
    const { invoice } = await paidInvoice(f);

    for (const caller of [payer, other]) {
      await expectRevert(f.escrow.write.void([invoice], { account: caller.account }), "EscrowNotMerchant", [
        getAddress(caller.account.address),
        getAddress(merchant.account.address),
      ]);
    }
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
  });

  it("a stranger's void is refused before the invoice is hashed: no KECCAK256 runs", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    const { invoice } = await paidInvoice(f);
    const data = encodeFunctionData({ abi: merchantEscrowAbi, functionName: "void", args: [invoice] });

    const stranger = await traceCall(connection, { from: other.account.address, to: f.escrow.address, data });
    const rightful = await traceCall(connection, { from: merchant.account.address, to: f.escrow.address, data });

    expect(stranger.revert && decodeErrorResult({ abi: merchantEscrowAbi, data: stranger.revert }).errorName).toBe(
      "EscrowNotMerchant",
    );
    expect(keccakCount(stranger.opcodes)).toBe(0);
    expect(rightful.revert).toBeUndefined();
    expect(keccakCount(rightful.opcodes)).toBeGreaterThanOrEqual(3);
  });

  it("void stays open during a dispute, since it gives the payer everything", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });

    await voidAsMerchant(f, invoice);

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.paymentOf([id])).toEqual(CLEARED);
  });

  it("a fully voided payment clears its slot, yet the invoice cannot be paid again", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await paidInvoice(f);

    await voidAsMerchant(f, invoice);

    expect(await f.escrow.read.paymentOf([id])).toEqual(CLEARED);
    await expectRevert(f.pay(invoice), "EscrowInvoiceUsed", [getAddress(merchant.account.address), invoice.nonce]);
    await expectRevert(f.escrow.write.void([invoice], { account: merchant.account }), "EscrowNotPaid", [id]);
  });

  it("void after a partial capture returns only the rest and keeps the refundable part", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });

    expect(await voidAsMerchant(f, invoice)).toEqual([{ id, amount: gram("2.5") }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("10"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("10"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("10"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("10"));
  });

  it("void reverts once everything held was captured", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });

    await expectRevert(f.escrow.write.void([invoice], { account: merchant.account }), "EscrowNothingHeld", [id]);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
  });

  it("void stays open after captureBefore", async () => {
    const f = await load();
    const { payer } = f.accounts;
    const { invoice, payerBefore } = await paidInvoice(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore + 1);

    await voidAsMerchant(f, invoice);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
  });

  it("voiding an open invoice pays back whoever paid it and forgets that payer", async () => {
    const f = await load();
    const { payer2 } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f, { payer: zeroAddress }, payer2);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(getAddress(payer2.account.address));

    await voidAsMerchant(f, invoice);

    expect(await f.token.read.balanceOf([payer2.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    expect(await f.escrow.read.paymentOf([id])).toEqual(CLEARED);
  });

  it("voiding a partly captured open invoice keeps its payer until the refundable part is settled", async () => {
    const f = await load();
    const { merchant, payer2 } = f.accounts;
    const { invoice, id, payerBefore } = await paidInvoice(f, { payer: zeroAddress }, payer2);
    await f.escrow.write.capture([invoice, gram("5")], { account: merchant.account });

    await voidAsMerchant(f, invoice);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(getAddress(payer2.account.address));

    await f.escrow.write.refund([invoice, gram("5")], { account: merchant.account });
    expect(await f.token.read.balanceOf([payer2.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    expect(await f.escrow.read.paymentOf([id])).toEqual(CLEARED);
  });
});
