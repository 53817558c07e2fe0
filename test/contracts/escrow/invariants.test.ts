// Property test: random sequences of every escrow operation, valid and invalid, over several
// invoices, two merchants and two payers, checked step by step against the model in model.ts.
// After every step the escrow holds exactly what is open (held + merchant balances + credits + fees),
// no payer got back more than it paid into an invoice, no invoice can be paid twice, the token supply
// is unchanged, and every balance, payment and nonce equals the model's.
import fc from "fast-check";
import { network } from "hardhat";
import { type Address, getAddress, type Hex, keccak256, parseSignature, stringToHex, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { type Invoice, invoiceId } from "../../../protocol/invoice.ts";
import { DAY, deployGram, gram, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { EscrowModel, type InvoiceModel, type Outcome } from "./model.ts";

const connection = await network.create();
afterAll(() => connection.close());

/** The shared fixture, with both merchants' allowances so refunds can draw on their wallets. */
async function deployInvariants() {
  const f = await deployGram(connection);
  for (const merchant of [f.accounts.merchant, f.accounts.merchant2]) {
    await f.token.write.approve([f.escrow.address, gram("1000000")], { account: merchant.account });
  }
  return f;
}
const load = () => connection.networkHelpers.loadFixture(deployInvariants);

// Nonces straddle a 256-bit word, and invoices of one merchant may share a nonce.
const NONCES = [0n, 1n, 2n, 255n, 256n] as const;

const invoiceSpec = fc.record({
  merchant: fc.integer({ min: 0, max: 1 }),
  payer: fc.integer({ min: 0, max: 2 }), // 2: open invoice, whoever pays first
  amount: fc.oneof(fc.constantFrom(1n, 3n, 9_999n, 10_001n), fc.bigInt({ min: 1n, max: 10n ** 12n })),
  maxTip: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 10n })),
  cashbackBps: fc.oneof(fc.constantFrom(0, 1, 5_000, 9_999, 10_000), fc.integer({ min: 0, max: 10_000 })),
  nonce: fc.constantFrom(...NONCES),
  payDays: fc.integer({ min: 0, max: 2 }),
  captureDays: fc.integer({ min: 0, max: 20 }),
  refundDays: fc.integer({ min: 0, max: 10 }),
});
type InvoiceSpec = typeof invoiceSpec extends fc.Arbitrary<infer T> ? T : never;

// Which invoice: mostly one the operation applies to (unpaid for pay, holding funds for capture...).
const inv = fc.record({ index: fc.nat({ max: 4 }), relevant: fc.nat({ max: 4 }).map((n) => n !== 0) });
// 0: an outsider calls, 1: the other party calls, otherwise the rightful caller.
const caller = fc.nat({ max: 9 });
// Per mille of the available amount; above 1000 asks for more than there is.
const share = fc.oneof(fc.constantFrom(0, 1000, 1001), fc.nat({ max: 1100 }));

const payOp = fc.record({
  kind: fc.constant("pay" as const),
  inv,
  payer: fc.nat({ max: 5 }), // 0, 1: a given payer, 2: an outsider, otherwise the rightful payer
  tip: share,
  auth: fc.boolean(),
});

const op = fc.oneof(
  { weight: 5, arbitrary: payOp },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("payMalformed" as const),
      inv,
      flaw: fc.constantFrom("signature", "zeroAmount", "hugeAmount", "cashback", "deadlines"),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("capture" as const), inv, caller, share }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("confirm" as const), inv, caller }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("void" as const), inv, caller }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reclaim" as const), inv, caller }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("refund" as const), inv, caller, share }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("dispute" as const), inv, caller }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resolve" as const), inv, caller, share }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("withdraw" as const),
      merchant: fc.nat({ max: 4 }), // 0, 1: a given merchant, 2: a payer, otherwise one with a balance
      share,
      to: fc.constantFrom("self", "self", "self", "self", "self", "other", "zero"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("collectFees" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("cancel" as const),
      merchant: fc.nat({ max: 1 }),
      nonce: fc.constantFrom(...NONCES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("wait" as const), days: fc.constantFrom(1, 1, 1, 2, 7, 15) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const part = (available: bigint, perMille: number) =>
  perMille <= 1000 ? (available * BigInt(perMille)) / 1000n : available + BigInt(perMille - 1000);

/** One run: a fresh chain, invoices built from `specs`, then `ops` checked step by step. */
async function run(specs: InvoiceSpec[], ops: Op[]) {
  const f = await load();
  const { accounts, escrow, token, networkHelpers } = f;
  // Mine a block so the clock is read after any time travel of earlier runs.
  await networkHelpers.mine();
  const start = await networkHelpers.time.latest();
  const address = (client: { account: { address: Address } }) => getAddress(client.account.address);
  const merchants = [address(accounts.merchant), address(accounts.merchant2)];
  const payers = [address(accounts.payer), address(accounts.payer2)];
  const [other, arbiter, treasury, relayer] = [
    accounts.other,
    accounts.arbiter,
    accounts.treasury,
    accounts.relayer,
  ].map(address) as [Address, Address, Address, Address];
  const escrowAddress = getAddress(escrow.address);
  const holders = [...merchants, ...payers, other, treasury, relayer, escrowAddress];
  const supply = await token.read.totalSupply();
  const wallets: Record<Address, bigint> = {};
  for (const holder of holders) wallets[holder] = await token.read.balanceOf([holder]);
  const model = new EscrowModel({
    escrow: escrowAddress,
    arbiter,
    treasury,
    withdrawFeeBps: BigInt(WITHDRAW_FEE_BPS),
    now: start,
    wallets,
  });

  const signatures = new Map<Hex, Hex>();
  for (const [index, spec] of specs.entries()) {
    const payBefore = start + spec.payDays * DAY + DAY / 2;
    const captureBefore = payBefore + spec.captureDays * DAY;
    const invoice: Invoice = {
      merchant: merchants[spec.merchant] as Address,
      token: getAddress(token.address),
      amount: spec.amount,
      maxTip: spec.maxTip,
      cashbackBps: spec.cashbackBps,
      payer: spec.payer === 2 ? zeroAddress : (payers[spec.payer] as Address),
      nonce: spec.nonce,
      payBefore,
      captureBefore,
      refundBefore: captureBefore + spec.refundDays * DAY,
      ref: keccak256(stringToHex(`invariants/${start}/${index}`)),
      metadataHash: keccak256(stringToHex(`invoice ${index}`)),
    };
    const id = invoiceId({ chainId: f.chainId, escrow: escrow.address, invoice });
    signatures.set(id, await f.signInvoice(invoice));
    model.add(invoice, id);
  }
  const signature = (st: InvoiceModel) => signatures.get(st.id) as Hex;
  /** The payer the invoice expects: its bound payer, whoever paid it, or the first payer. */
  const rightfulPayer = (st: InvoiceModel) =>
    st.invoice.payer !== zeroAddress ? st.invoice.payer : (st.paidBy ?? (payers[0] as Address));
  const pick = (who: number, rightful: Address, otherParty: Address) =>
    who === 0 ? other : who === 1 ? otherParty : rightful;

  async function readChain() {
    const read = (holder: Address) => token.read.balanceOf([holder]);
    const [balances, merchantBalances, credits, payments, openPayers, used, totalSupply, fees] = await Promise.all([
      Promise.all(holders.map(read)),
      Promise.all([...merchants, ...payers].map((m) => escrow.read.balanceOf([m, token.address]))),
      Promise.all([...payers, other].map((p) => escrow.read.creditOf([p, token.address]))),
      Promise.all(model.invoices.map((st) => escrow.read.paymentOf([st.id]))),
      Promise.all(model.invoices.map((st) => escrow.read.openInvoicePayer([st.id]))),
      Promise.all(merchants.flatMap((m) => NONCES.map((n) => escrow.read.isInvoiceUsed([m, n])))),
      token.read.totalSupply(),
      escrow.read.feesOf([token.address]),
    ]);
    return { balances, merchantBalances, credits, payments, openPayers, used, totalSupply, fees };
  }
  type Chain = Awaited<ReturnType<typeof readChain>>;

  async function checkInvariants(chain: Chain) {
    // The escrow holds exactly what is open: held funds, merchant balances, payers' credits and fees.
    const held = chain.payments.reduce((sum, p) => sum + p.held, 0n);
    const owed = chain.merchantBalances.reduce((sum, b) => sum + b, 0n);
    const credited = chain.credits.reduce((sum, c) => sum + c, 0n);
    expect(chain.balances[holders.indexOf(escrowAddress)]).toBe(held + owed + credited + chain.fees);
    // Plain accounts accept every transfer: nothing is ever credited to them.
    expect(chain.credits).toEqual([0n, 0n, 0n]);
    expect(chain.totalSupply).toBe(supply);
    // The chain equals the model.
    expect(chain.balances).toEqual(holders.map((h) => model.wallets[h]));
    expect(chain.merchantBalances).toEqual([...merchants, ...payers].map((m) => model.balanceOf(m)));
    expect(chain.fees).toBe(model.fees);
    expect(chain.payments).toEqual(model.invoices.map((st) => st.payment));
    expect(chain.openPayers).toEqual(model.invoices.map((st) => model.openInvoicePayer(st)));
    expect(chain.used).toEqual(merchants.flatMap((m) => NONCES.map((n) => model.isUsed(m, n))));
    for (const st of model.invoices) {
      // Partial captures never lose cashback to rounding: it is that of the total captured.
      expect(st.cashback).toBe((st.captured * BigInt(st.invoice.cashbackBps)) / 10_000n);
      // No payer gets back more than it paid in; what is not returned is held or refundable.
      expect(st.returned).toBeLessThanOrEqual(st.paidIn);
      if (st.paidBy !== undefined) expect(st.returned + st.payment.held + st.payment.refundable).toBe(st.paidIn);
    }
    // No invoice whose number is spent can be paid (again).
    for (const st of model.invoices) {
      if (!model.isUsed(st.invoice.merchant, st.invoice.nonce)) continue;
      const expired = model.now >= st.invoice.payBefore;
      await expectRevert(
        escrow.simulate.pay([st.invoice, signature(st), 0n], { account: rightfulPayer(st) }),
        expired ? "EscrowInvoiceExpired" : "EscrowInvoiceUsed",
      );
    }
  }

  /** The model's verdict on `op` and the transaction that performs it. */
  async function plan(step: Op): Promise<{ outcome: Outcome; send: () => Promise<Hex> }> {
    if (step.kind === "wait") {
      return {
        outcome: { apply: () => (model.now += step.days * DAY) },
        send: async () => {
          await networkHelpers.time.increase(step.days * DAY);
          return "0x";
        },
      };
    }
    if (step.kind === "withdraw") {
      const merchant =
        [...merchants, payers[0] as Address][step.merchant] ??
        merchants.find((m) => model.balanceOf(m) > 0n) ??
        (merchants[0] as Address);
      const amount = part(model.balanceOf(merchant), step.share) || (step.share === 0 ? 0n : 1n);
      const to = step.to === "self" ? merchant : step.to === "other" ? other : zeroAddress;
      return {
        outcome: model.withdraw(merchant, amount, to),
        send: () => escrow.write.withdraw([token.address, amount, to], { account: merchant }),
      };
    }
    if (step.kind === "collectFees") {
      return { outcome: model.collectFees(), send: () => escrow.write.collectFees([token.address]) };
    }
    if (step.kind === "cancel") {
      const merchant = merchants[step.merchant] as Address;
      return {
        outcome: model.cancel(merchant, step.nonce),
        send: () => escrow.write.cancelInvoice([step.nonce], { account: merchant }),
      };
    }
    const applies = (candidate: InvoiceModel) => {
      const { held, refundable, disputedAt } = candidate.payment;
      if (step.kind === "pay" || step.kind === "payMalformed") return candidate.paidBy === undefined;
      if (step.kind === "refund") return refundable > 0n;
      if (step.kind === "resolve") return disputedAt !== 0;
      return held > 0n;
    };
    const candidates = model.invoices.filter(applies);
    const pool = step.inv.relevant && candidates.length > 0 ? candidates : model.invoices;
    const st = pool[step.inv.index % pool.length] as InvoiceModel;
    const { invoice } = st;
    const payer = rightfulPayer(st);
    switch (step.kind) {
      case "pay": {
        const from = [...payers, other][step.payer] ?? payer;
        const tip = step.tip <= 1000 ? part(invoice.maxTip, step.tip) : invoice.maxTip + BigInt(step.tip - 1000);
        const outcome = model.pay(invoice, st, from, tip, true);
        if (!step.auth) {
          return { outcome, send: () => escrow.write.pay([invoice, signature(st), tip], { account: from }) };
        }
        const auth = await f.signReceiveAuthorization({ from, value: invoice.amount + tip, nonce: st.id });
        const { r, s, yParity } = parseSignature(auth.signature);
        const args = [
          invoice,
          signature(st),
          tip,
          from,
          auth.validAfter,
          auth.validBefore,
          27 + yParity,
          r,
          s,
        ] as const;
        return { outcome, send: () => escrow.write.payWithAuthorization(args, { account: relayer }) };
      }
      case "payMalformed": {
        const malformed: Invoice = {
          ...invoice,
          ...(step.flaw === "zeroAmount" && { amount: 0n }),
          ...(step.flaw === "hugeAmount" && { amount: 2n ** 104n }),
          ...(step.flaw === "cashback" && { cashbackBps: 10_001 }),
          ...(step.flaw === "deadlines" && { refundBefore: invoice.captureBefore - 1 }),
        };
        const sig = step.flaw === "signature" ? await f.signInvoice(malformed, other) : await f.signInvoice(malformed);
        return {
          outcome: model.pay(malformed, undefined, payer, 0n, step.flaw !== "signature"),
          send: () => escrow.write.pay([malformed, sig, 0n], { account: payer }),
        };
      }
      case "capture": {
        const from = pick(step.caller, invoice.merchant, payer);
        const amount = part(st.payment.held, step.share);
        return {
          outcome: model.capture(st, from, amount),
          send: () => escrow.write.capture([invoice, amount], { account: from }),
        };
      }
      case "confirm": {
        const from = pick(step.caller, payer, invoice.merchant);
        return { outcome: model.confirm(st, from), send: () => escrow.write.confirm([invoice], { account: from }) };
      }
      case "void": {
        const from = pick(step.caller, invoice.merchant, payer);
        return { outcome: model.void(st, from), send: () => escrow.write.void([invoice], { account: from }) };
      }
      case "reclaim": {
        const from = pick(step.caller, payer, invoice.merchant);
        return { outcome: model.reclaim(st, from), send: () => escrow.write.reclaim([invoice], { account: from }) };
      }
      case "refund": {
        const from = pick(step.caller, invoice.merchant, payer);
        const amount = part(st.payment.refundable, step.share);
        return {
          outcome: model.refund(st, from, amount),
          send: () => escrow.write.refund([invoice, amount], { account: from }),
        };
      }
      case "dispute": {
        const from = pick(step.caller, payer, invoice.merchant);
        return { outcome: model.dispute(st, from), send: () => escrow.write.dispute([invoice], { account: from }) };
      }
      case "resolve": {
        const from = pick(step.caller, arbiter, invoice.merchant);
        const toPayer = part(st.payment.held, step.share);
        return {
          outcome: model.resolve(st, from, toPayer),
          send: () => escrow.write.resolve([invoice, toPayer], { account: from }),
        };
      }
    }
  }

  let chain = await readChain();
  await checkInvariants(chain);
  for (const step of ops) {
    const { outcome, send } = await plan(step);
    if ("error" in outcome) {
      await expectRevert(send(), outcome.error);
      // A reverted operation changes nothing.
      expect(await readChain()).toEqual(chain);
    } else {
      const hash = await send();
      let timestamp = 0;
      if (hash !== "0x") {
        const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
        expect(receipt.status).toBe("success");
        timestamp = Number((await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
      }
      outcome.apply(timestamp);
      chain = await readChain();
    }
    await checkInvariants(chain);
  }
}

const spec = (overrides: Partial<InvoiceSpec>): InvoiceSpec => ({
  merchant: 0,
  payer: 0,
  amount: 10n ** 9n,
  maxTip: 10n ** 8n,
  cashbackBps: 0,
  nonce: 0n,
  payDays: 1,
  captureDays: 3,
  refundDays: 3,
  ...overrides,
});
const first = { index: 0, relevant: false };

/**
 * Runs fast-check always tries first: an open invoice with 100% cashback, settled by the payer's
 * confirmation and by the merchant's captures. Settling clears the open invoice's payer slot, and
 * the cashback must still reach the account that paid.
 */
const examples: [InvoiceSpec[], Op[], Op[]][] = [
  [
    [spec({ payer: 2, cashbackBps: 10_000 }), spec({ merchant: 1, nonce: 1n }), spec({ payer: 1, nonce: 2n })],
    [{ kind: "pay", inv: first, payer: 1, tip: 500, auth: false }],
    [
      { kind: "confirm", inv: first, caller: 9 },
      { kind: "refund", inv: first, caller: 9, share: 1 },
      { kind: "pay", inv: first, payer: 1, tip: 0, auth: false },
    ],
  ],
  [
    [spec({ payer: 2, cashbackBps: 10_000, merchant: 1 }), spec({ nonce: 1n }), spec({ nonce: 256n })],
    [{ kind: "pay", inv: first, payer: 0, tip: 0, auth: true }],
    [
      { kind: "capture", inv: first, caller: 9, share: 400 },
      { kind: "capture", inv: first, caller: 9, share: 1000 },
      { kind: "withdraw", merchant: 1, share: 1, to: "self" },
    ],
  ],
];

describe("escrow invariants", () => {
  it("after any sequence of operations the escrow holds exactly what is open, payers get back at most what they paid, and the chain equals the model", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(invoiceSpec, { minLength: 3, maxLength: 5 }),
        // Most runs open with a few payments, so that later operations have funds to act on.
        fc.array(payOp, { maxLength: 5 }),
        fc.array(op, { minLength: 20, maxLength: 30 }),
        async (specs, opening, ops) => run(specs, [...opening, ...ops]),
      ),
      { numRuns: 30, examples },
    );
  });
});
