import { network } from "hardhat";
import { type Address, parseSignature } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenDomain, receiveWithAuthorizationTypes } from "../../../protocol/eip712.ts";
import { relayPayRequestSchema } from "../../../protocol/relay.ts";
import { DAY, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { cancelInvoice } from "../../../wallet/actions/cancelInvoice.ts";
import { capturePayment } from "../../../wallet/actions/capturePayment.ts";
import type { GramClient } from "../../../wallet/actions/client.ts";
import { confirmPayment } from "../../../wallet/actions/confirmPayment.ts";
import { disputePayment } from "../../../wallet/actions/disputePayment.ts";
import { payInvoice } from "../../../wallet/actions/payInvoice.ts";
import { reclaimPayment } from "../../../wallet/actions/reclaimPayment.ts";
import { refundPayment } from "../../../wallet/actions/refundPayment.ts";
import { resolveDispute } from "../../../wallet/actions/resolveDispute.ts";
import { signPayWithAuthorization } from "../../../wallet/actions/signPayWithAuthorization.ts";
import { voidPayment } from "../../../wallet/actions/voidPayment.ts";
import { withdraw } from "../../../wallet/actions/withdraw.ts";
import { InvalidInvoiceError, TransactionRevertsError } from "../../../wallet/errors.ts";
import { createInvoice } from "../../../wallet/invoices/createInvoice.ts";
import { readInvoice } from "../../../wallet/invoices/invoice-store.ts";
import { describeTypedData } from "../../../wallet/summary/describeTypedData.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { sendAndCheck, setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const { f } = chain;
const merchant = addressOf("merchant");
const payer = addressOf("payer");

/** Token balances of the payer, the merchant's wallet, the escrow, and the merchant's escrow balance. */
async function balances(of: Address = payer) {
  return {
    payer: await chain.balanceOf(of),
    merchant: await chain.balanceOf(merchant),
    escrow: await chain.balanceOf(chain.escrow),
    merchantInEscrow: await f.escrow.read.balanceOf([merchant, chain.token]),
  };
}

async function invoiceFor(merchantClient: GramClient, overrides: Partial<Parameters<typeof createInvoice>[1]> = {}) {
  return createInvoice(merchantClient, {
    title: "Margherita",
    items: [{ name: "Margherita", quantity: "1", price: "12.5" }],
    amount: "12.5",
    maxTip: "3",
    payer,
    ref: "chat:alice-shop/order-7",
    ...overrides,
  });
}

describe("payer and merchant actions", () => {
  it("pay (direct) with a tip, then capture, refund, void and withdraw: each moves exactly what it shows", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const { invoice, merchantSignature, id } = await invoiceFor(m);

    let before = await balances();
    const paid = await sendAndCheck(chain, p, () => payInvoice(p, { invoice, merchantSignature, tip: "1" }));
    let after = await balances();
    expect(paid.id).toBe(id);
    expect(paid.approval).toBeUndefined(); // the fixture's allowance covers it
    expect(paid.summary).toMatchObject({
      action: "pay",
      recipient: merchant,
      invoiceId: id,
      amount: { formatted: "12.5" },
      tip: { formatted: "1" },
      expiry: invoice.payBefore,
    });
    expect(before.payer - after.payer).toBe(gram("13.5"));
    expect(after.escrow - before.escrow).toBe(gram("12.5"));
    expect(after.merchant - before.merchant).toBe(gram("1"));
    expect((await readInvoice(p.home, id)).role).toBe("payer");

    before = after;
    const captured = await sendAndCheck(chain, m, () => capturePayment(m, { invoice, amount: "10" }));
    after = await balances();
    expect(captured.summary).toMatchObject({ action: "capture", recipient: merchant, amount: { formatted: "10" } });
    expect(after.merchantInEscrow - before.merchantInEscrow).toBe(gram("10"));
    expect(after.escrow).toBe(before.escrow);

    before = after;
    const refunded = await sendAndCheck(chain, m, () => refundPayment(m, { invoice, amount: "2.5" }));
    after = await balances();
    expect(refunded.summary).toMatchObject({ action: "refund", recipient: payer, amount: { formatted: "2.5" } });
    expect(after.payer - before.payer).toBe(gram("2.5"));
    expect(before.merchantInEscrow - after.merchantInEscrow).toBe(gram("2.5"));

    before = after;
    const voided = await sendAndCheck(chain, m, () => voidPayment(m, { invoice }));
    after = await balances();
    // void has no amount in its calldata: the summary reads what is held and says so.
    expect(voided.summary).toMatchObject({ action: "void", recipient: payer, amount: { formatted: "2.5" } });
    expect(voided.summary.notes).toEqual(["amount: what the escrow holds for this invoice now"]);
    expect(after.payer - before.payer).toBe(gram("2.5"));

    before = after;
    const withdrawn = await sendAndCheck(chain, m, () => withdraw(m, { amount: "5" }));
    after = await balances();
    expect(withdrawn.summary).toMatchObject({ action: "withdraw", recipient: merchant, amount: { formatted: "5" } });
    const fee = (gram("5") * 50n) / 10_000n;
    expect(after.merchant - before.merchant).toBe(gram("5") - fee);
    expect(before.merchantInEscrow - after.merchantInEscrow).toBe(gram("5"));
  });

  it("pay (direct) approves exactly amount + tip first when the allowance is short", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const r = await chain.clientFor(ROLE.relayer); // minted, never approved the escrow
    const who = addressOf("relayer");
    const { invoice, merchantSignature } = await invoiceFor(m, { payer: who });
    const shown: string[] = [];
    const before = await balances(who);
    const paid = await payInvoice(r, {
      invoice,
      merchantSignature,
      tip: "0.5",
      confirm: (s) => shown.push(s.action) > 0,
    });
    await chain.publicClient.waitForTransactionReceipt({ hash: paid.hash });
    expect(shown).toEqual(["approve", "pay"]);
    expect(paid.approval?.summary).toMatchObject({
      action: "approve",
      recipient: chain.escrow,
      amount: { formatted: "13" },
    });
    expect(paid.approval?.nonce).toBe(paid.nonce - 1);
    const after = await balances(who);
    expect(before.payer - after.payer).toBe(gram("13"));
    expect(await f.token.read.allowance([who, chain.escrow])).toBe(0n);
  });

  it("pay with permit: one transaction, no approval left behind", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p2 = await chain.clientFor(ROLE.payer2);
    const who = addressOf("payer2");
    await f.token.write.approve([chain.escrow, 0n], { account: f.accounts.payer2.account });
    const { invoice, merchantSignature } = await invoiceFor(m, { payer: who });
    const before = await balances(who);
    const paid = await sendAndCheck(chain, p2, () =>
      payInvoice(p2, { invoice, merchantSignature, tip: "2", method: "permit" }),
    );
    expect(paid.summary).toMatchObject({ action: "payWithPermit", tip: { formatted: "2" }, expiry: invoice.payBefore });
    expect(paid.approval).toBeUndefined();
    const after = await balances(who);
    expect(before.payer - after.payer).toBe(gram("14.5"));
    expect(after.escrow - before.escrow).toBe(gram("12.5"));
    expect(await f.token.read.allowance([who, chain.escrow])).toBe(0n);
  });

  it("pay gasless: the request parses with the relayer's schema and a relayer's payWithAuthorization pays exactly once", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const { invoice, merchantSignature, id } = await invoiceFor(m);
    const { request, summary } = await signPayWithAuthorization(p, { invoice, merchantSignature, tip: "1.25" });
    const r = relayPayRequestSchema.parse(request);
    expect(r).toMatchObject({
      chainId: f.chainId,
      escrow: chain.escrow,
      payer,
      tip: gram("1.25"),
      invoice: { ...invoice, ref: invoice.ref.toLowerCase() },
    });
    expect(summary).toMatchObject({
      kind: "signature",
      action: "payWithAuthorization",
      recipient: merchant,
      invoiceId: id,
      amount: { formatted: "12.5" },
      tip: { formatted: "1.25" },
      fee: undefined,
    });
    // Decode the signed struct back from the request: the same summary.
    const decoded = await describeTypedData(p, {
      typedData: {
        domain: gramTokenDomain(r.chainId, r.invoice.token),
        types: receiveWithAuthorizationTypes,
        primaryType: "ReceiveWithAuthorization",
        message: {
          from: r.payer,
          to: r.escrow,
          value: r.invoice.amount + r.tip,
          validAfter: r.validAfter,
          validBefore: r.validBefore,
          nonce: id,
        },
      },
      signer: r.payer,
      invoice,
    });
    expect(decoded).toEqual(summary);

    const before = await balances();
    const { v, r: sigR, s } = parseSignature(r.signature);
    const hash = await f.escrow.write.payWithAuthorization(
      [r.invoice as never, r.merchantSignature, r.tip, r.payer, r.validAfter, r.validBefore, Number(v), sigR, s],
      { account: f.accounts.relayer.account },
    );
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    const after = await balances();
    expect(before.payer - after.payer).toBe(gram("13.75"));
    expect(after.escrow - before.escrow).toBe(gram("12.5"));
    expect(after.merchant - before.merchant).toBe(gram("1.25"));
    // Paid: signing again is refused before anything is signed.
    await failure(InvalidInvoiceError, signPayWithAuthorization(p, { invoice, merchantSignature }));
  });

  it("confirm releases what is held to the merchant, with cashback to the payer", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const { invoice, merchantSignature } = await invoiceFor(m, { cashbackBps: 200 });
    await sendAndCheck(chain, p, () => payInvoice(p, { invoice, merchantSignature }));
    const before = await balances();
    const confirmed = await sendAndCheck(chain, p, () => confirmPayment(p, { invoice }));
    const after = await balances();
    expect(confirmed.summary).toMatchObject({ action: "confirm", recipient: merchant, amount: { formatted: "12.5" } });
    expect(after.payer - before.payer).toBe(gram("0.25"));
    expect(after.merchantInEscrow - before.merchantInEscrow).toBe(gram("12.25"));
  });

  it("dispute, then the arbiter resolves: the payer gets toPayer, the merchant the rest", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const a = await chain.clientFor(ROLE.arbiter);
    const { invoice, merchantSignature, id } = await invoiceFor(m);
    await sendAndCheck(chain, p, () => payInvoice(p, { invoice, merchantSignature }));
    const disputed = await sendAndCheck(chain, p, () => disputePayment(p, { invoice }));
    expect(disputed.summary).toMatchObject({ action: "dispute", invoiceId: id, amount: { formatted: "12.5" } });
    // Capture waits for the arbiter: refused before signing, with the contract's reason.
    const frozen = await failure(TransactionRevertsError, capturePayment(m, { invoice, amount: "1" }));
    expect([frozen.errorName, frozen.args]).toEqual(["EscrowDisputed", [id]]);

    const before = await balances();
    const resolved = await sendAndCheck(chain, a, () => resolveDispute(a, { invoice, toPayer: "5" }));
    const after = await balances();
    expect(resolved.summary).toMatchObject({ action: "resolve", recipient: payer, amount: { formatted: "5" } });
    expect(after.payer - before.payer).toBe(gram("5"));
    expect(after.merchantInEscrow - before.merchantInEscrow).toBe(gram("7.5"));
  });

  it("reclaim after captureBefore returns everything held", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const now = await connection.networkHelpers.time.latest();
    const { invoice, merchantSignature } = await invoiceFor(m, { payBefore: now + DAY, captureBefore: now + 2 * DAY });
    await sendAndCheck(chain, p, () => payInvoice(p, { invoice, merchantSignature }));
    await failure(TransactionRevertsError, reclaimPayment(p, { invoice }));
    await connection.networkHelpers.time.increaseTo(invoice.captureBefore);
    const before = await balances();
    const reclaimed = await sendAndCheck(chain, p, () => reclaimPayment(p, { invoice }));
    expect(reclaimed.summary).toMatchObject({ action: "reclaim", recipient: payer, amount: { formatted: "12.5" } });
    expect((await balances()).payer - before.payer).toBe(gram("12.5"));
  });

  it("cancelInvoice spends the number: the invoice can no longer be paid", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const { invoice, merchantSignature } = await invoiceFor(m);
    const canceled = await sendAndCheck(chain, m, () => cancelInvoice(m, { nonce: invoice.nonce }));
    expect(canceled.summary).toMatchObject({
      action: "cancelInvoice",
      amount: undefined,
      notes: [`invoice number ${invoice.nonce}`],
    });
    expect(await f.escrow.read.isInvoiceUsed([merchant, invoice.nonce])).toBe(true);
    const error = await failure(InvalidInvoiceError, payInvoice(p, { invoice, merchantSignature }));
    expect(error.shortMessage).toBe("the invoice was already paid or canceled by the merchant");
  });

  it("pay refuses, before signing, a tampered invoice, a tip above the maximum and someone else's invoice", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const o = await chain.clientFor(ROLE.other);
    const { invoice, merchantSignature } = await invoiceFor(m);
    const before = await balances();
    const tampered = await failure(
      InvalidInvoiceError,
      payInvoice(p, { invoice: { ...invoice, amount: 1n }, merchantSignature }),
    );
    expect(tampered.shortMessage).toBe(
      `the invoice is not signed by its merchant ${merchant} for this chain and escrow`,
    );
    const tip = await failure(InvalidInvoiceError, payInvoice(p, { invoice, merchantSignature, tip: "3.5" }));
    expect(tip.shortMessage).toBe("tip 3.5 GRAM is above the invoice's maximum of 3");
    const stranger = await failure(InvalidInvoiceError, payInvoice(o, { invoice, merchantSignature }));
    expect(stranger.shortMessage).toBe(`the invoice is for ${payer}, not for ${addressOf("other")}`);
    expect(await balances()).toEqual(before);
  });

  it("capture beyond what is held is refused with the contract's error and its values", async () => {
    const m = await chain.clientFor(ROLE.merchant);
    const p = await chain.clientFor(ROLE.payer);
    const { invoice, merchantSignature, id } = await invoiceFor(m);
    await sendAndCheck(chain, p, () => payInvoice(p, { invoice, merchantSignature }));
    const error = await failure(TransactionRevertsError, capturePayment(m, { invoice, amount: "13" }));
    expect(error.errorName).toBe("EscrowInsufficientHeld");
    expect(error.args).toEqual([id, gram("12.5"), gram("13")]);
    expect(error.shortMessage).toBe(`capture would revert: EscrowInsufficientHeld(${id}, 12500000000, 13000000000)`);
  });
});
