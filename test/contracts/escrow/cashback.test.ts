import fc from "fast-check";
import { network } from "hardhat";
import { type Hash, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** A paid 12.5 GRAM invoice with 5% cashback. */
async function cashbackInvoice(f: GramFixture, overrides: Partial<Invoice> = {}) {
  const invoice = await f.makeInvoice({ cashbackBps: 500, ...overrides });
  const payerBefore = await f.token.read.balanceOf([f.accounts.payer.account.address]);
  await f.pay(invoice);
  return { invoice, id: await f.escrow.read.invoiceId([invoice]), payerBefore };
}

async function captured(f: GramFixture, hash: Hash) {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCaptured" }).map(
    (log) => log.args,
  );
}

describe("cashback", () => {
  it("capturing 10 GRAM at 5% pays 0.5 to the payer at once and 9.5 to the merchant", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f);

    const hash = await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCaptured" });
    expect(events.map((e) => e.args)).toEqual([{ id, amount: gram("10"), cashback: gram("0.5") }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("12.5") + gram("0.5"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("12"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("9.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("2.5"), refundable: gram("9.5"), disputedAt: 0 });
  });

  it("refunds are capped at the captured amount net of cashback", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await cashbackInvoice(f);
    await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });

    await expectRevert(
      f.escrow.write.refund([invoice, gram("9.5") + 1n], { account: merchant.account }),
      "EscrowInsufficientRefundable",
      [id, gram("9.5"), gram("9.5") + 1n],
    );
  });

  it("cashback, a full refund and a void give the payer back exactly what was paid", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f);
    await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
    await f.escrow.write.refund([invoice, gram("9.5")], { account: merchant.account });
    await f.escrow.write.void([invoice], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });

  it("confirm pays the cashback on everything held", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f);

    await f.escrow.write.confirm([invoice], { account: payer.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("12.5") + gram("0.625"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("11.875"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("11.875"), disputedAt: 0 });
  });

  it("resolve pays the cashback on the merchant's share", async () => {
    const f = await load();
    const { arbiter, merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f);
    await f.escrow.write.dispute([invoice], { account: payer.account });

    const hash = await f.escrow.write.resolve([invoice, gram("2.5")], { account: arbiter.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "DisputeResolved" });
    expect(events.map((e) => e.args)).toEqual([
      { id, toPayer: gram("2.5"), toMerchant: gram("10"), cashback: gram("0.5") },
    ]);

    // 2.5 back by the ruling, plus 5% of the merchant's 10.
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("12.5") + gram("3"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("9.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("9.5"), disputedAt: 0 });
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("9.5"));
  });

  it("cashback rounds down, in the merchant's favour", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { invoice, id } = await cashbackInvoice(f);

    // 19 * 500 / 10000 = 0.95 base units.
    await f.escrow.write.capture([invoice, 19n], { account: merchant.account });

    expect((await f.escrow.read.paymentOf([id])).refundable).toBe(19n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(19n);
  });

  it("partial captures add up to the cashback of their total: 19 then 1 base unit at 5% pay 1, not 0 + 0", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f);

    await f.escrow.write.capture([invoice, 19n], { account: merchant.account });
    const hash = await f.escrow.write.capture([invoice, 1n], { account: merchant.account });

    // 20 * 500 / 10000 = 1, paid by the capture that completes it.
    expect(await captured(f, hash)).toEqual([{ id, amount: 1n, cashback: 1n }]);
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - gram("12.5") + 1n);
    expect((await f.escrow.read.paymentOf([id])).refundable).toBe(19n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(19n);
  });

  it("for any amount, rate and split into partial captures, then a confirm or a ruling, the payer's cashback is that of the total captured, rounded down once", async () => {
    const step = fc.record({ kind: fc.constant("capture" as const), perMille: fc.integer({ min: 1, max: 1000 }) });
    const end = fc.oneof(
      fc.record({ kind: fc.constant("none" as const) }),
      fc.record({ kind: fc.constant("confirm" as const) }),
      fc.record({ kind: fc.constant("resolve" as const), perMille: fc.integer({ min: 0, max: 1000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10n ** 15n })),
        fc.oneof(fc.constantFrom(1, 3, 333, 9_999), fc.integer({ min: 1, max: 10_000 })),
        fc.array(step, { maxLength: 6 }),
        end,
        async (amount, cashbackBps, steps, last) => {
          const f = await load();
          const { arbiter, merchant, payer } = f.accounts;
          const { invoice, id, payerBefore } = await cashbackInvoice(f, { amount, cashbackBps, maxTip: 0n });
          let held = amount;
          let captured = 0n;
          let cashback = 0n;
          let toPayer = 0n;
          const events = async (hash: Hash) => {
            const { logs } = await f.publicClient.waitForTransactionReceipt({ hash });
            for (const { args } of parseEventLogs({ abi: merchantEscrowAbi, logs, eventName: "PaymentCaptured" })) {
              captured += args.amount;
              cashback += args.cashback;
            }
            for (const { args } of parseEventLogs({ abi: merchantEscrowAbi, logs, eventName: "DisputeResolved" })) {
              captured += args.toMerchant;
              cashback += args.cashback;
              toPayer += args.toPayer;
            }
          };
          for (const { perMille } of steps) {
            const part = (held * BigInt(perMille)) / 1000n;
            if (part === 0n) continue;
            await events(await f.escrow.write.capture([invoice, part], { account: merchant.account }));
            held -= part;
          }
          // With everything captured already, nothing is left to confirm or dispute.
          const ending = held === 0n ? "none" : last.kind;
          if (last.kind === "confirm" && ending === "confirm") {
            await events(await f.escrow.write.confirm([invoice], { account: payer.account }));
          } else if (last.kind === "resolve" && ending === "resolve") {
            await f.escrow.write.dispute([invoice], { account: payer.account });
            const back = (held * BigInt(last.perMille)) / 1000n;
            await events(await f.escrow.write.resolve([invoice, back], { account: arbiter.account }));
          }
          const rest = ending === "none" ? held : 0n;

          expect(cashback).toBe((captured * BigInt(cashbackBps)) / 10_000n);
          expect(captured + toPayer + rest).toBe(amount);
          expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore - amount + cashback + toPayer);
          expect(await f.escrow.read.paymentOf([id])).toEqual({
            held: rest,
            refundable: captured - cashback,
            disputedAt: 0,
          });
          expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(captured - cashback);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("full cashback on a payer-bound invoice returns every capture to the payer", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const { invoice, id, payerBefore } = await cashbackInvoice(f, { cashbackBps: 10_000 });

    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer.account.address])).toBe(payerBefore);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });

  // Fails against the current contract: `_capture` writes the emptied payment (which deletes the open
  // invoice's payer) before it looks the payer up for the cashback, so it pays address(0) and GRAM reverts
  // with ERC20InvalidReceiver(0): such an invoice can never be fully captured or confirmed.
  it("full cashback on an open invoice returns the final capture to whoever paid it", async () => {
    const f = await load();
    const { merchant, payer2 } = f.accounts;
    const invoice = await f.makeInvoice({ cashbackBps: 10_000, payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payer2Before = await f.token.read.balanceOf([payer2.account.address]);
    await f.pay(invoice, { from: payer2.account.address });

    // The capture that empties the payment also clears the open invoice's payer; the cashback must
    // still reach the payer rather than revert (or go to the zero address).
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant.account });

    expect(await f.token.read.balanceOf([payer2.account.address])).toBe(payer2Before);
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(zeroAddress);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  });
});
