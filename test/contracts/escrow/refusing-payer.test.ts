// A payer contract that refuses tokens (a receive hook that reverts or burns its gas, with a token that
// has hooks, as ERC-777) cannot veto the merchant's capture or the arbiter's ruling: what the escrow
// owes it there is credited to it to claim, and a gas-burning hook costs the operation at most the
// push's stipend. A plain account still receives its cashback at once.
import { network } from "hardhat";
import { getAddress, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { deployGramWithRefusingPayer, Mode } from "./refusing-payer.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGramWithRefusingPayer(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("a payer contract that refuses tokens", () => {
  it("cannot veto the merchant's capture: the refused cashback is credited to it", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { hooked, payerContract, payInvoice, setMode } = f.refusing;
    const { invoice, id } = await payInvoice();
    const payerBefore = await hooked.read.balanceOf([payerContract.address]);
    await setMode(Mode.Revert);

    const hash = await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const captured = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCaptured" });
    expect(captured.map((e) => e.args)).toEqual([{ id, amount: gram("10"), cashback: gram("0.5") }]);
    const credited = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCredited" });
    expect(credited.map((e) => e.args)).toEqual([
      { id, payer: getAddress(payerContract.address), token: getAddress(hooked.address), amount: gram("0.5") },
    ]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("2.5"), refundable: gram("9.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, hooked.address])).toBe(gram("9.5"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("0.5"));
    expect(await hooked.read.balanceOf([payerContract.address])).toBe(payerBefore);
    // Held 2.5, the merchant's 9.5 and the credited 0.5: everything paid in is accounted for.
    expect(await hooked.read.balanceOf([f.escrow.address])).toBe(gram("12.5"));
  });

  it("cannot veto the arbiter's ruling: its share and its cashback are credited to it", async () => {
    const f = await load();
    const { arbiter, merchant } = f.accounts;
    const { hooked, payerContract, escrowCall, payInvoice, setMode } = f.refusing;
    const { invoice, id } = await payInvoice();
    await escrowCall("dispute", [invoice]);
    await setMode(Mode.Revert);

    const hash = await f.escrow.write.resolve([invoice, gram("2.5")], { account: arbiter.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const resolved = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "DisputeResolved" });
    expect(resolved.map((e) => e.args)).toEqual([
      { id, toPayer: gram("2.5"), toMerchant: gram("10"), cashback: gram("0.5") },
    ]);
    const credited = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCredited" });
    expect(credited.map((e) => e.args)).toEqual([
      { id, payer: getAddress(payerContract.address), token: getAddress(hooked.address), amount: gram("3") },
    ]);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: gram("9.5"), disputedAt: 0 });
    expect(await f.escrow.read.balanceOf([merchant.account.address, hooked.address])).toBe(gram("9.5"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("3"));
  });

  it("whose hook burns all its gas costs the capture at most PUSH_GAS more than a plain refusal, and is credited", async () => {
    /** The gas of capturing 10 of a fresh invoice while the payer contract's hook is in `mode`. */
    async function captureGas(mode: (typeof Mode)[keyof typeof Mode]) {
      const f = await load();
      const { invoice, id } = await f.refusing.payInvoice();
      await f.refusing.setMode(mode);
      const hash = await f.escrow.write.capture([invoice, gram("10")], { account: f.accounts.merchant.account });
      const { gasUsed } = await f.publicClient.waitForTransactionReceipt({ hash });
      return { f, id, gasUsed };
    }
    const refused = await captureGas(Mode.Revert);
    const { f, id, gasUsed } = await captureGas(Mode.BurnGas);
    const { hooked, payerContract } = f.refusing;

    expect(gasUsed - refused.gasUsed).toBeLessThanOrEqual(await f.escrow.read.PUSH_GAS());
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("0.5"));
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: gram("2.5"), refundable: gram("9.5"), disputedAt: 0 });
  });

  it("a capture sent with too little gas to give the push its stipend reverts EscrowInsufficientGas: no caller can turn the cashback into a credit", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { hooked, payerContract, payInvoice, setMode } = f.refusing;
    const first = await payInvoice();
    const second = await payInvoice();
    const pushGas = await f.escrow.read.PUSH_GAS();
    await setMode(Mode.BurnGas);
    const hash = await f.escrow.write.capture([first.invoice, gram("10")], { account: merchant.account });
    const { gasUsed } = await f.publicClient.waitForTransactionReceipt({ hash });

    // A whole stipend less than that: the push gets well under its stipend, so its failure may be the
    // caller's doing, and the escrow refuses to credit it.
    await expectRevert(
      f.escrow.simulate.capture([second.invoice, gram("10")], {
        account: merchant.account.address,
        gas: gasUsed - pushGas,
      }),
      "EscrowInsufficientGas",
      [],
    );

    await f.escrow.write.capture([second.invoice, gram("10")], { account: merchant.account, gas: gasUsed });
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(gram("1"));
    expect((await f.escrow.read.paymentOf([second.id])).held).toBe(gram("2.5"));
  });

  it("that accepts tokens gets its cashback at once, like a plain account: nothing is credited", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const { hooked, payerContract, payInvoice } = f.refusing;
    const { invoice } = await payInvoice();
    const payerBefore = await hooked.read.balanceOf([payerContract.address]);

    const hash = await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    expect(parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "PaymentCredited" })).toEqual([]);
    expect(await hooked.read.balanceOf([payerContract.address])).toBe(payerBefore + gram("0.5"));
    expect(await payerContract.read.received()).toBe(gram("0.5"));
    expect(await f.escrow.read.creditOf([payerContract.address, hooked.address])).toBe(0n);
  });
});
