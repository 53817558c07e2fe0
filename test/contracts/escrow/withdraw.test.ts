import { network } from "hardhat";
import { getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { escrowDomain } from "../../../protocol/eip712.ts";
import { deployGram, type GramFixture, gram, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** Pays and captures a 12.5 GRAM invoice, so the merchant holds 12.5 GRAM in the escrow. */
async function withBalance(f: GramFixture) {
  const invoice = await f.makeInvoice();
  await f.pay(invoice);
  await f.escrow.write.capture([invoice, invoice.amount], { account: f.accounts.merchant.account });
}

describe("withdraw", () => {
  it("a withdrawal pays amount minus the 0.5% fee to `to` and keeps the fee in the pot", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    await withBalance(f);
    const otherBefore = await f.token.read.balanceOf([other.account.address]);
    const merchantWalletBefore = await f.token.read.balanceOf([merchant.account.address]);
    const amount = gram("10");
    const fee = (amount * BigInt(WITHDRAW_FEE_BPS)) / 10_000n;
    expect(fee).toBe(gram("0.05"));

    const hash = await f.escrow.write.withdraw([f.token.address, amount, other.account.address], {
      account: merchant.account,
    });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "MerchantWithdrew" });
    expect(events.map((e) => e.args)).toEqual([
      {
        merchant: getAddress(merchant.account.address),
        token: getAddress(f.token.address),
        to: getAddress(other.account.address),
        amount,
        fee,
      },
    ]);
    expect(await f.token.read.balanceOf([other.account.address])).toBe(otherBefore + amount - fee);
    expect(await f.token.read.balanceOf([merchant.account.address])).toBe(merchantWalletBefore);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("2.5"));
    expect(await f.escrow.read.feesOf([f.token.address])).toBe(fee);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("2.5") + fee);
  });

  it("fees of successive withdrawals add up and the whole balance can be withdrawn", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    await withBalance(f);
    const walletBefore = await f.token.read.balanceOf([merchant.account.address]);

    await f.escrow.write.withdraw([f.token.address, gram("2.5"), merchant.account.address], {
      account: merchant.account,
    });
    await f.escrow.write.withdraw([f.token.address, gram("10"), merchant.account.address], {
      account: merchant.account,
    });

    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(0n);
    expect(await f.escrow.read.feesOf([f.token.address])).toBe(gram("0.0625"));
    expect(await f.token.read.balanceOf([merchant.account.address])).toBe(walletBefore + gram("12.4375"));
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(gram("0.0625"));
  });

  it("the fee rounds up: 199 base units at 0.5% pay a fee of 1, not 0", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    await withBalance(f);
    const walletBefore = await f.token.read.balanceOf([merchant.account.address]);

    // 199 * 50 / 10000 = 0.995 base units, rounded up to 1.
    await f.escrow.write.withdraw([f.token.address, 199n, merchant.account.address], { account: merchant.account });

    expect(await f.escrow.read.feesOf([f.token.address])).toBe(1n);
    expect(await f.token.read.balanceOf([merchant.account.address])).toBe(walletBefore + 198n);
  });

  it("splitting a balance into dust withdrawals does not avoid the fee: a 1-unit withdrawal is all fee", async () => {
    const f = await load();
    const { merchant, other } = f.accounts;
    await withBalance(f);
    const otherBefore = await f.token.read.balanceOf([other.account.address]);

    const hash = await f.escrow.write.withdraw([f.token.address, 1n, other.account.address], {
      account: merchant.account,
    });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "MerchantWithdrew" });
    expect(events.map((e) => e.args)).toEqual([
      {
        merchant: getAddress(merchant.account.address),
        token: getAddress(f.token.address),
        to: getAddress(other.account.address),
        amount: 1n,
        fee: 1n,
      },
    ]);
    // Nothing is left to send, and no zero-value transfer is made.
    expect(parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Transfer" })).toEqual([]);
    expect(await f.token.read.balanceOf([other.account.address])).toBe(otherBefore);
    expect(await f.escrow.read.feesOf([f.token.address])).toBe(1n);
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5") - 1n);
  });

  it("at a zero fee rate nothing is charged, however small the withdrawal", async () => {
    const f = await load();
    const { merchant, owner, treasury, arbiter } = f.accounts;
    const feeless = await f.viem.deployContract("MerchantEscrow", [
      owner.account.address,
      treasury.account.address,
      arbiter.account.address,
      0,
    ]);
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice, invoice.merchant, escrowDomain(f.chainId, feeless.address));
    await f.token.write.approve([feeless.address, invoice.amount], { account: f.accounts.payer.account });
    await feeless.write.pay([invoice, signature, 0n], { account: f.accounts.payer.account });
    await feeless.write.capture([invoice, invoice.amount], { account: merchant.account });
    const walletBefore = await f.token.read.balanceOf([merchant.account.address]);

    await feeless.write.withdraw([f.token.address, 1n, merchant.account.address], { account: merchant.account });
    await feeless.write.withdraw([f.token.address, 199n, merchant.account.address], { account: merchant.account });

    expect(await feeless.read.feesOf([f.token.address])).toBe(0n);
    expect(await f.token.read.balanceOf([merchant.account.address])).toBe(walletBefore + 200n);
  });

  it("withdraw reverts when more is requested than the balance", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    await withBalance(f);

    await expectRevert(
      f.escrow.write.withdraw([f.token.address, gram("12.5") + 1n, merchant.account.address], {
        account: merchant.account,
      }),
      "EscrowInsufficientBalance",
      [getAddress(merchant.account.address), getAddress(f.token.address), gram("12.5"), gram("12.5") + 1n],
    );
  });

  it("held funds are not withdrawable until captured", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    const invoice = await f.makeInvoice();
    await f.pay(invoice);

    await expectRevert(
      f.escrow.write.withdraw([f.token.address, 1n, merchant.account.address], { account: merchant.account }),
      "EscrowInsufficientBalance",
      [getAddress(merchant.account.address), getAddress(f.token.address), 0n, 1n],
    );
  });

  it("one merchant cannot withdraw another merchant's balance", async () => {
    const f = await load();
    const { merchant2 } = f.accounts;
    await withBalance(f);

    await expectRevert(
      f.escrow.write.withdraw([f.token.address, gram("1"), merchant2.account.address], { account: merchant2.account }),
      "EscrowInsufficientBalance",
      [getAddress(merchant2.account.address), getAddress(f.token.address), 0n, gram("1")],
    );
  });

  it("withdraw rejects the zero address as recipient and a zero amount", async () => {
    const f = await load();
    const { merchant } = f.accounts;
    await withBalance(f);

    await expectRevert(
      f.escrow.write.withdraw([f.token.address, gram("1"), zeroAddress], { account: merchant.account }),
      "EscrowZeroAddress",
      [],
    );
    await expectRevert(
      f.escrow.write.withdraw([f.token.address, 0n, merchant.account.address], { account: merchant.account }),
      "EscrowZeroAmount",
      [],
    );
    expect(await f.escrow.read.balanceOf([merchant.account.address, f.token.address])).toBe(gram("12.5"));
  });
});
