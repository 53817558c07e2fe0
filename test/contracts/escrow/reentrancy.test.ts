// The escrow against a token that calls back into it in the middle of every transfer (as ERC-777
// hooks do). The callback comes from the token contract, so it proves that the reentrancy guard
// fires before anything else; every test also checks that the balances are exactly those of the
// operation without the callback. collectFees is the sharpest probe: anyone may call it, so a
// re-entered collectFees would succeed if the guard did not stop it.
import { network } from "hardhat";
import { decodeErrorResult, encodeFunctionData, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, WITHDRAW_FEE_BPS } from "../fixture.ts";

const connection = await network.create();
afterAll(() => connection.close());

const UNITS = 10n ** 9n;
const fee = (amount: bigint) => (amount * BigInt(WITHDRAW_FEE_BPS)) / 10_000n;

/** The fixture with a ReentrantToken, and fees already accrued in it (so collectFees has work to do). */
async function deployReentrant() {
  const f = await deployGram(connection);
  const { merchant, payer } = f.accounts;
  const token = await f.viem.deployContract("ReentrantToken");
  await token.write.mint([payer.account.address, 1_000n * UNITS]);
  await token.write.approve([f.escrow.address, 1_000n * UNITS], { account: payer.account });
  const seed = await f.makeInvoice({ token: token.address, amount: 100n * UNITS });
  await f.pay(seed);
  await f.escrow.write.capture([seed, seed.amount], { account: merchant.account });
  await f.escrow.write.withdraw([token.address, 40n * UNITS, merchant.account.address], {
    account: merchant.account,
  });
  return { ...f, token };
}
const load = () => connection.networkHelpers.loadFixture(deployReentrant);
type Fixture = Awaited<ReturnType<typeof load>>;

type EscrowCall = Parameters<typeof encodeFunctionData<typeof merchantEscrowAbi>>[0];

/** Arms the token to call the escrow with `call` on its next transfer. */
async function arm(f: Fixture, call: Omit<EscrowCall, "abi">) {
  const data = encodeFunctionData({ abi: merchantEscrowAbi, ...call } as EscrowCall);
  await f.token.write.arm([f.escrow.address, data]);
}

/** The armed callback ran (the token disarmed itself) and failed on the reentrancy guard. */
async function expectGuardFired(f: Fixture) {
  expect(await f.token.read.target()).toBe(zeroAddress);
  expect(await f.token.read.reentered()).toBe(false);
  const reason = await f.token.read.lastRevert();
  expect(decodeErrorResult({ abi: merchantEscrowAbi, data: reason }).errorName).toBe("ReentrancyGuardReentrantCall");
}

/** Every token balance and escrow ledger entry the operations below can touch. */
async function snapshot(f: Fixture, ids: readonly `0x${string}`[]) {
  const { merchant, payer, treasury } = f.accounts;
  return {
    payer: await f.token.read.balanceOf([payer.account.address]),
    merchant: await f.token.read.balanceOf([merchant.account.address]),
    treasury: await f.token.read.balanceOf([treasury.account.address]),
    tokenContract: await f.token.read.balanceOf([f.token.address]),
    escrow: await f.token.read.balanceOf([f.escrow.address]),
    merchantBalance: await f.escrow.read.balanceOf([merchant.account.address, f.token.address]),
    fees: await f.escrow.read.feesOf([f.token.address]),
    payments: await Promise.all(ids.map((id) => f.escrow.read.paymentOf([id]))),
  };
}

async function paidInvoice(f: Fixture, overrides: Partial<Invoice> = {}) {
  const invoice = await f.makeInvoice({ token: f.token.address, amount: 10n * UNITS, ...overrides });
  await f.pay(invoice);
  return { invoice, id: await f.escrow.read.invoiceId([invoice]) };
}

describe("reentrancy", () => {
  it("a pay re-entered during pay's transferFrom is refused by the guard; only the outer invoice is paid", async () => {
    const f = await load();
    const outer = await f.makeInvoice({ token: f.token.address, amount: 10n * UNITS });
    const inner = await f.makeInvoice({ token: f.token.address, amount: 7n * UNITS, payer: zeroAddress });
    const [outerId, innerId] = [await f.escrow.read.invoiceId([outer]), await f.escrow.read.invoiceId([inner])];
    await arm(f, { functionName: "pay", args: [inner, await f.signInvoice(inner), 0n] });
    const before = await snapshot(f, [outerId, innerId]);

    await f.pay(outer);

    await expectGuardFired(f);
    expect(await snapshot(f, [outerId, innerId])).toEqual({
      ...before,
      payer: before.payer - outer.amount,
      escrow: before.escrow + outer.amount,
      payments: [{ held: outer.amount, refundable: 0n, disputedAt: 0 }, before.payments[1]],
    });
    expect(await f.escrow.read.isInvoiceUsed([inner.merchant, inner.nonce])).toBe(false);
  });

  it("a void re-entered during void's transfer is refused by the guard; the payer gets the amount back once", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await arm(f, { functionName: "void", args: [invoice] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.void([invoice], { account: f.accounts.merchant.account });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + invoice.amount,
      escrow: before.escrow - invoice.amount,
      payments: [{ held: 0n, refundable: 0n, disputedAt: 0 }],
    });
  });

  it("a withdraw re-entered during void's transfer is refused by the guard", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await arm(f, { functionName: "withdraw", args: [f.token.address, 1n, f.token.address] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.void([invoice], { account: f.accounts.merchant.account });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + invoice.amount,
      escrow: before.escrow - invoice.amount,
      payments: [{ held: 0n, refundable: 0n, disputedAt: 0 }],
    });
  });

  it("a withdraw re-entered during withdraw's transfer is refused by the guard; one withdrawal, one fee", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const amount = 25n * UNITS;
    await arm(f, { functionName: "withdraw", args: [f.token.address, amount, merchant.address] });
    const before = await snapshot(f, []);

    await f.escrow.write.withdraw([f.token.address, amount, merchant.address], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [])).toEqual({
      ...before,
      merchant: before.merchant + amount - fee(amount),
      escrow: before.escrow - amount + fee(amount),
      merchantBalance: before.merchantBalance - amount,
      fees: before.fees + fee(amount),
    });
  });

  it("a collectFees re-entered during withdraw's transfer is refused by the guard; the fees stay in the escrow", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const amount = 25n * UNITS;
    await arm(f, { functionName: "collectFees", args: [f.token.address] });
    const before = await snapshot(f, []);
    expect(before.fees).toBeGreaterThan(0n);

    await f.escrow.write.withdraw([f.token.address, amount, merchant.address], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [])).toEqual({
      ...before,
      merchant: before.merchant + amount - fee(amount),
      escrow: before.escrow - amount + fee(amount),
      merchantBalance: before.merchantBalance - amount,
      fees: before.fees + fee(amount),
    });
  });

  it("a refund re-entered during refund's transfer is refused by the guard; the payer is refunded once", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    const amount = 4n * UNITS;
    await arm(f, { functionName: "refund", args: [invoice, amount] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.refund([invoice, amount], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + amount,
      escrow: before.escrow - amount,
      merchantBalance: before.merchantBalance - amount,
      payments: [{ held: 0n, refundable: invoice.amount - amount, disputedAt: 0 }],
    });
  });

  it("a collectFees re-entered during refund's transfer is refused by the guard", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    const amount = 4n * UNITS;
    await arm(f, { functionName: "collectFees", args: [f.token.address] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.refund([invoice, amount], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + amount,
      escrow: before.escrow - amount,
      merchantBalance: before.merchantBalance - amount,
      payments: [{ held: 0n, refundable: invoice.amount - amount, disputedAt: 0 }],
    });
  });

  it("a capture re-entered during capture's cashback transfer is refused by the guard; one capture, one cashback", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 1_000 });
    const amount = 6n * UNITS;
    const cashback = (amount * 1_000n) / 10_000n;
    await arm(f, { functionName: "capture", args: [invoice, invoice.amount - amount] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.capture([invoice, amount], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + cashback,
      escrow: before.escrow - cashback,
      merchantBalance: before.merchantBalance + amount - cashback,
      payments: [{ held: invoice.amount - amount, refundable: amount - cashback, disputedAt: 0 }],
    });
  });

  it("a collectFees re-entered during capture's cashback transfer is refused by the guard", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 1_000 });
    const cashback = (invoice.amount * 1_000n) / 10_000n;
    await arm(f, { functionName: "collectFees", args: [f.token.address] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + cashback,
      escrow: before.escrow - cashback,
      merchantBalance: before.merchantBalance + invoice.amount - cashback,
      payments: [{ held: 0n, refundable: invoice.amount - cashback, disputedAt: 0 }],
    });
  });

  it("a void re-entered during confirm's cashback transfer is refused by the guard", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 2_500 });
    const cashback = (invoice.amount * 2_500n) / 10_000n;
    await arm(f, { functionName: "void", args: [invoice] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.confirm([invoice], { account: f.accounts.payer.account });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + cashback,
      escrow: before.escrow - cashback,
      merchantBalance: before.merchantBalance + invoice.amount - cashback,
      payments: [{ held: 0n, refundable: invoice.amount - cashback, disputedAt: 0 }],
    });
  });

  it("a reclaim re-entered during reclaim's transfer is refused by the guard; the payer reclaims once", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);
    await arm(f, { functionName: "reclaim", args: [invoice] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.reclaim([invoice], { account: f.accounts.payer.account });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + invoice.amount,
      escrow: before.escrow - invoice.amount,
      payments: [{ held: 0n, refundable: 0n, disputedAt: 0 }],
    });
  });

  it("a collectFees re-entered during resolve's transfer is refused by the guard; the split is exact", async () => {
    const f = await load();
    const { payer, arbiter } = f.accounts;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 500 });
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const toPayer = 3n * UNITS;
    const toMerchant = invoice.amount - toPayer;
    const cashback = (toMerchant * 500n) / 10_000n;
    await arm(f, { functionName: "collectFees", args: [f.token.address] });
    const before = await snapshot(f, [id]);

    await f.escrow.write.resolve([invoice, toPayer], { account: arbiter.account });

    await expectGuardFired(f);
    expect(await snapshot(f, [id])).toEqual({
      ...before,
      payer: before.payer + toPayer + cashback,
      escrow: before.escrow - toPayer - cashback,
      merchantBalance: before.merchantBalance + toMerchant - cashback,
      payments: [{ held: 0n, refundable: toMerchant - cashback, disputedAt: 0 }],
    });
  });
});
