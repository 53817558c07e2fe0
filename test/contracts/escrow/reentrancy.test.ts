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
import { deployGram, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";

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

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/**
 * Arms `reentry`, runs `operation`, and expects the guard to have fired and the snapshot of `ids` to be the
 * one before with exactly `change` applied: the effect of `operation` alone. Returns the snapshot before.
 */
async function expectGuarded(
  f: Fixture,
  ids: readonly `0x${string}`[],
  reentry: Omit<EscrowCall, "abi">,
  operation: () => Promise<unknown>,
  change: (before: Snapshot) => Partial<Record<keyof Snapshot, unknown>>,
) {
  await arm(f, reentry);
  const before = await snapshot(f, ids);

  await operation();

  await expectGuardFired(f);
  expect(await snapshot(f, ids)).toEqual({ ...before, ...change(before) });
  return before;
}

/** The effect of the merchant withdrawing `amount`: the fee stays in the escrow. */
const withdrawn = (amount: bigint) => (b: Snapshot) => ({
  merchant: b.merchant + amount - fee(amount),
  escrow: b.escrow - amount + fee(amount),
  merchantBalance: b.merchantBalance - amount,
  fees: b.fees + fee(amount),
});

/** The effect of voiding (or reclaiming) a paid invoice: all it held goes back to the payer. */
const returnedToPayer = (invoice: Invoice) => (b: Snapshot) => ({
  payer: b.payer + invoice.amount,
  escrow: b.escrow - invoice.amount,
  payments: [{ held: 0n, refundable: 0n, disputedAt: 0 }],
});

/** The effect of refunding `amount` of a fully captured invoice. */
const refunded = (invoice: Invoice, amount: bigint) => (b: Snapshot) => ({
  payer: b.payer + amount,
  escrow: b.escrow - amount,
  merchantBalance: b.merchantBalance - amount,
  payments: [{ held: 0n, refundable: invoice.amount - amount, disputedAt: 0 }],
});

/** The effect of capturing `amount` of `invoice` with `cashback` paid to the payer out of it. */
const captured = (invoice: Invoice, amount: bigint, cashback: bigint) => (b: Snapshot) => ({
  payer: b.payer + cashback,
  escrow: b.escrow - cashback,
  merchantBalance: b.merchantBalance + amount - cashback,
  payments: [{ held: invoice.amount - amount, refundable: amount - cashback, disputedAt: 0 }],
});

describe("reentrancy", () => {
  it("a pay re-entered during pay's transferFrom is refused by the guard; only the outer invoice is paid", async () => {
    const f = await load();
    const outer = await f.makeInvoice({ token: f.token.address, amount: 10n * UNITS });
    const inner = await f.makeInvoice({ token: f.token.address, amount: 7n * UNITS, payer: zeroAddress });
    const [outerId, innerId] = [await f.escrow.read.invoiceId([outer]), await f.escrow.read.invoiceId([inner])];
    await expectGuarded(
      f,
      [outerId, innerId],
      { functionName: "pay", args: [inner, await f.signInvoice(inner), 0n] },
      () => f.pay(outer),
      (before) => ({
        payer: before.payer - outer.amount,
        escrow: before.escrow + outer.amount,
        payments: [{ held: outer.amount, refundable: 0n, disputedAt: 0 }, before.payments[1]],
      }),
    );
    expect(await f.escrow.read.isInvoiceUsed([inner.merchant, inner.nonce])).toBe(false);
  });

  it("a void re-entered during void's transfer is refused by the guard; the payer gets the amount back once", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await expectGuarded(
      f,
      [id],
      { functionName: "void", args: [invoice] },
      () => f.escrow.write.void([invoice], { account: f.accounts.merchant.account }),
      returnedToPayer(invoice),
    );
  });

  it("a withdraw re-entered during void's transfer is refused by the guard", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await expectGuarded(
      f,
      [id],
      { functionName: "withdraw", args: [f.token.address, 1n, f.token.address] },
      () => f.escrow.write.void([invoice], { account: f.accounts.merchant.account }),
      returnedToPayer(invoice),
    );
  });

  it("a withdraw re-entered during withdraw's transfer is refused by the guard; one withdrawal, one fee", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const amount = 25n * UNITS;
    await expectGuarded(
      f,
      [],
      { functionName: "withdraw", args: [f.token.address, amount, merchant.address] },
      () => f.escrow.write.withdraw([f.token.address, amount, merchant.address], { account: merchant }),
      withdrawn(amount),
    );
  });

  it("a collectFees re-entered during withdraw's transfer is refused by the guard; the fees stay in the escrow", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const amount = 25n * UNITS;
    const before = await expectGuarded(
      f,
      [],
      { functionName: "collectFees", args: [f.token.address] },
      () => f.escrow.write.withdraw([f.token.address, amount, merchant.address], { account: merchant }),
      withdrawn(amount),
    );
    expect(before.fees).toBeGreaterThan(0n);
  });

  it("a refund re-entered during refund's transfer is refused by the guard; the payer is refunded once", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    const amount = 4n * UNITS;
    await expectGuarded(
      f,
      [id],
      { functionName: "refund", args: [invoice, amount] },
      () => f.escrow.write.refund([invoice, amount], { account: merchant }),
      refunded(invoice, amount),
    );
  });

  it("a collectFees re-entered during refund's transfer is refused by the guard", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f);
    await f.escrow.write.capture([invoice, invoice.amount], { account: merchant });
    const amount = 4n * UNITS;
    await expectGuarded(
      f,
      [id],
      { functionName: "collectFees", args: [f.token.address] },
      () => f.escrow.write.refund([invoice, amount], { account: merchant }),
      refunded(invoice, amount),
    );
  });

  it("a capture re-entered during capture's cashback transfer is refused by the guard; one capture, one cashback", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 1_000 });
    const amount = 6n * UNITS;
    const cashback = (amount * 1_000n) / 10_000n;
    await expectGuarded(
      f,
      [id],
      { functionName: "capture", args: [invoice, invoice.amount - amount] },
      () => f.escrow.write.capture([invoice, amount], { account: merchant }),
      captured(invoice, amount, cashback),
    );
  });

  it("a collectFees re-entered during capture's cashback transfer is refused by the guard", async () => {
    const f = await load();
    const merchant = f.accounts.merchant.account;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 1_000 });
    const cashback = (invoice.amount * 1_000n) / 10_000n;
    await expectGuarded(
      f,
      [id],
      { functionName: "collectFees", args: [f.token.address] },
      () => f.escrow.write.capture([invoice, invoice.amount], { account: merchant }),
      captured(invoice, invoice.amount, cashback),
    );
  });

  it("a void re-entered during confirm's cashback transfer is refused by the guard", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 2_500 });
    const cashback = (invoice.amount * 2_500n) / 10_000n;
    await expectGuarded(
      f,
      [id],
      { functionName: "void", args: [invoice] },
      () => f.escrow.write.confirm([invoice], { account: f.accounts.payer.account }),
      // Confirming captures everything held.
      captured(invoice, invoice.amount, cashback),
    );
  });

  it("a reclaim re-entered during reclaim's transfer is refused by the guard; the payer reclaims once", async () => {
    const f = await load();
    const { invoice, id } = await paidInvoice(f);
    await f.networkHelpers.time.increaseTo(invoice.captureBefore);
    await expectGuarded(
      f,
      [id],
      { functionName: "reclaim", args: [invoice] },
      () => f.escrow.write.reclaim([invoice], { account: f.accounts.payer.account }),
      returnedToPayer(invoice),
    );
  });

  it("a collectFees re-entered during resolve's transfer is refused by the guard; the split is exact", async () => {
    const f = await load();
    const { payer, arbiter } = f.accounts;
    const { invoice, id } = await paidInvoice(f, { cashbackBps: 500 });
    await f.escrow.write.dispute([invoice], { account: payer.account });
    const toPayer = 3n * UNITS;
    const toMerchant = invoice.amount - toPayer;
    const cashback = (toMerchant * 500n) / 10_000n;
    await expectGuarded(
      f,
      [id],
      { functionName: "collectFees", args: [f.token.address] },
      () => f.escrow.write.resolve([invoice, toPayer], { account: arbiter.account }),
      (before) => ({
        payer: before.payer + toPayer + cashback,
        escrow: before.escrow - toPayer - cashback,
        merchantBalance: before.merchantBalance + toMerchant - cashback,
        payments: [{ held: 0n, refundable: toMerchant - cashback, disputedAt: 0 }],
      }),
    );
  });
});
