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

/** The merchant captures 12.5 GRAM and withdraws 10 of it: 0.05 GRAM of fees accrue. */
async function withFees(f: GramFixture) {
  const { merchant } = f.accounts;
  const invoice = await f.makeInvoice();
  await f.pay(invoice);
  await f.escrow.write.capture([invoice, gram("10")], { account: merchant.account });
  await f.escrow.write.withdraw([f.token.address, gram("10"), merchant.account.address], {
    account: merchant.account,
  });
  return invoice;
}

describe("collectFees", () => {
  it("anyone sends the accrued fees to the treasury, and the pot empties", async () => {
    const f = await load();
    const { other, treasury, merchant } = f.accounts;
    await withFees(f);
    const treasuryBefore = await f.token.read.balanceOf([treasury.account.address]);

    const hash = await f.escrow.write.collectFees([f.token.address], { account: other.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "FeesCollected" });
    expect(events.map((e) => e.args)).toEqual([
      { token: getAddress(f.token.address), treasury: getAddress(treasury.account.address), amount: gram("0.05") },
    ]);
    expect(await f.token.read.balanceOf([treasury.account.address])).toBe(treasuryBefore + gram("0.05"));
    expect(await f.escrow.read.feesOf([f.token.address])).toBe(0n);
    // What remains in the escrow is exactly the held 2.5 GRAM.
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("2.5"));
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
  });

  it("collectFees reverts when there is nothing to collect", async () => {
    const f = await load();
    await expectRevert(
      f.escrow.write.collectFees([f.token.address], { account: f.accounts.other.account }),
      "EscrowZeroAmount",
      [],
    );

    await withFees(f);
    await f.escrow.write.collectFees([f.token.address], { account: f.accounts.other.account });
    await expectRevert(
      f.escrow.write.collectFees([f.token.address], { account: f.accounts.other.account }),
      "EscrowZeroAmount",
      [],
    );
  });

  it("fees go to the treasury current at collection time", async () => {
    const f = await load();
    const { owner, other, treasury } = f.accounts;
    await withFees(f);
    const oldTreasuryBefore = await f.token.read.balanceOf([treasury.account.address]);
    const newTreasury = f.accounts.relayer.account.address;
    const newTreasuryBefore = await f.token.read.balanceOf([newTreasury]);
    await f.escrow.write.setTreasury([newTreasury], { account: owner.account });

    await f.escrow.write.collectFees([f.token.address], { account: other.account });

    expect(await f.token.read.balanceOf([newTreasury])).toBe(newTreasuryBefore + gram("0.05"));
    expect(await f.token.read.balanceOf([treasury.account.address])).toBe(oldTreasuryBefore);
  });

  it("collecting fees never touches held funds or merchants' balances", async () => {
    const f = await load();
    const { merchant, payer } = f.accounts;
    const invoice = await withFees(f);
    const second = await f.makeInvoice();
    await f.pay(second);
    await f.escrow.write.capture([second, gram("4")], { account: merchant.account });

    await f.escrow.write.collectFees([f.token.address], { account: payer.account });

    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("4"));
    // Held: 2.5 of the first invoice and 8.5 of the second; balance: 4.
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("15"));
    await f.escrow.write.void([invoice], { account: merchant.account });
    await f.escrow.write.void([second], { account: merchant.account });
    await f.escrow.write.withdraw([f.token.address, gram("4"), merchant.account.address], {
      account: merchant.account,
    });
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(await f.escrow.read.feesOf([f.token.address]));
  });
});
