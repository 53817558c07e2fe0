import { network } from "hardhat";
import { maxUint256, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { deployGram, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { addressesOf } from "./authorization.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("transfer, approve and transferFrom", () => {
  it("transfer moves exactly the amount from the sender to the recipient and emits Transfer", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer } = f.accounts;
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const hash = await f.token.write.transfer([a.treasury, gram("7.5")], { account: payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - gram("7.5"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("7.5"));
    const events = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Transfer" });
    expect(events.map((e) => e.args)).toEqual([{ from: a.payer, to: a.treasury, value: gram("7.5") }]);
  });

  it("transfer of more than the balance reverts with ERC20InsufficientBalance(sender, balance, needed)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer } = f.accounts;
    const balance = await f.token.read.balanceOf([a.payer]);
    await expectRevert(
      f.token.write.transfer([a.treasury, balance + 1n], { account: payer.account }),
      "ERC20InsufficientBalance",
      [a.payer, balance, balance + 1n],
    );
    expect(await f.token.read.balanceOf([a.payer])).toBe(balance);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(0n);
  });

  it("transfer to the zero address reverts with ERC20InvalidReceiver", async () => {
    const f = await load();
    const { payer } = f.accounts;
    await expectRevert(f.token.write.transfer([zeroAddress, 1n], { account: payer.account }), "ERC20InvalidReceiver", [
      zeroAddress,
    ]);
  });

  it("approve sets the allowance to exactly the amount and emits Approval", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer } = f.accounts;
    const hash = await f.token.write.approve([a.relayer, gram("3")], { account: payer.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(gram("3"));
    const [approval] = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Approval" });
    expect(approval?.args).toEqual({
      owner: a.payer,
      spender: a.relayer,
      value: gram("3"),
    });
  });

  it("transferFrom moves the amount and lowers the allowance by exactly that amount", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer, relayer } = f.accounts;
    await f.token.write.approve([a.relayer, gram("10")], { account: payer.account });
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const relayerBefore = await f.token.read.balanceOf([a.relayer]);
    await f.token.write.transferFrom([a.payer, a.treasury, gram("4")], {
      account: relayer.account,
    });
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - gram("4"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("4"));
    expect(await f.token.read.balanceOf([a.relayer])).toBe(relayerBefore);
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(gram("6"));
  });

  it("transferFrom beyond the allowance reverts with ERC20InsufficientAllowance(spender, allowance, needed)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer, relayer } = f.accounts;
    await f.token.write.approve([a.relayer, gram("2")], { account: payer.account });
    await expectRevert(
      f.token.write.transferFrom([a.payer, a.treasury, gram("2") + 1n], {
        account: relayer.account,
      }),
      "ERC20InsufficientAllowance",
      [a.relayer, gram("2"), gram("2") + 1n],
    );
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(gram("2"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(0n);
  });

  it("transferFrom within the allowance but beyond the balance reverts with ERC20InsufficientBalance", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer, relayer } = f.accounts;
    const balance = await f.token.read.balanceOf([a.payer]);
    await f.token.write.approve([a.relayer, maxUint256], { account: payer.account });
    await expectRevert(
      f.token.write.transferFrom([a.payer, a.treasury, balance + 1n], {
        account: relayer.account,
      }),
      "ERC20InsufficientBalance",
      [a.payer, balance, balance + 1n],
    );
  });

  it("an infinite allowance is not lowered by transferFrom", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer, relayer } = f.accounts;
    await f.token.write.approve([a.relayer, maxUint256], { account: payer.account });
    await f.token.write.transferFrom([a.payer, a.treasury, gram("1")], {
      account: relayer.account,
    });
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(maxUint256);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("1"));
  });
});
