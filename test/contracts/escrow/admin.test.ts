import { network } from "hardhat";
import { getAddress, parseEventLogs, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { deployGram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

describe("admin", () => {
  it("the owner sets the arbiter, and only the new arbiter resolves", async () => {
    const f = await load();
    const { owner, arbiter, payer, other } = f.accounts;
    const hash = await f.escrow.write.setArbiter([other.account.address], { account: owner.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "ArbiterUpdated" });
    expect(events.map((e) => e.args)).toEqual([{ arbiter: getAddress(other.account.address) }]);
    expect(await f.escrow.read.arbiter()).toBe(getAddress(other.account.address));

    const invoice = await f.makeInvoice();
    await f.pay(invoice);
    await f.escrow.write.dispute([invoice], { account: payer.account });
    await expectRevert(f.escrow.write.resolve([invoice, 0n], { account: arbiter.account }), "EscrowNotArbiter", [
      getAddress(arbiter.account.address),
      getAddress(other.account.address),
    ]);
    await f.escrow.write.resolve([invoice, invoice.amount], { account: other.account });
  });

  it("setArbiter is owner only and rejects the zero address", async () => {
    const f = await load();
    const { owner, arbiter, other } = f.accounts;

    await expectRevert(
      f.escrow.write.setArbiter([other.account.address], { account: other.account }),
      "OwnableUnauthorizedAccount",
      [getAddress(other.account.address)],
    );
    await expectRevert(f.escrow.write.setArbiter([zeroAddress], { account: owner.account }), "EscrowZeroAddress", []);
    expect(await f.escrow.read.arbiter()).toBe(getAddress(arbiter.account.address));
  });

  it("setTreasury is owner only, rejects the zero address and emits TreasuryUpdated", async () => {
    const f = await load();
    const { owner, treasury, other } = f.accounts;

    await expectRevert(
      f.escrow.write.setTreasury([other.account.address], { account: other.account }),
      "OwnableUnauthorizedAccount",
      [getAddress(other.account.address)],
    );
    await expectRevert(f.escrow.write.setTreasury([zeroAddress], { account: owner.account }), "EscrowZeroAddress", []);
    expect(await f.escrow.read.treasury()).toBe(getAddress(treasury.account.address));

    const hash = await f.escrow.write.setTreasury([other.account.address], { account: owner.account });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const events = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "TreasuryUpdated" });
    expect(events.map((e) => e.args)).toEqual([{ treasury: getAddress(other.account.address) }]);
    expect(await f.escrow.read.treasury()).toBe(getAddress(other.account.address));
  });

  it("ownership moves in two steps: the pending owner must accept", async () => {
    const f = await load();
    const { owner, other, merchant } = f.accounts;

    await f.escrow.write.transferOwnership([other.account.address], { account: owner.account });
    expect(await f.escrow.read.owner()).toBe(getAddress(owner.account.address));
    expect(await f.escrow.read.pendingOwner()).toBe(getAddress(other.account.address));
    // Until accepted, the old owner keeps its powers.
    await f.escrow.write.pause({ account: owner.account });
    await expectRevert(f.escrow.write.acceptOwnership({ account: merchant.account }), "OwnableUnauthorizedAccount", [
      getAddress(merchant.account.address),
    ]);

    await f.escrow.write.acceptOwnership({ account: other.account });

    expect(await f.escrow.read.owner()).toBe(getAddress(other.account.address));
    expect(await f.escrow.read.pendingOwner()).toBe(zeroAddress);
    await expectRevert(f.escrow.write.unpause({ account: owner.account }), "OwnableUnauthorizedAccount", [
      getAddress(owner.account.address),
    ]);
    await f.escrow.write.unpause({ account: other.account });
    expect(await f.escrow.read.paused()).toBe(false);
  });

  it("only the owner may start an ownership transfer", async () => {
    const f = await load();
    const { other } = f.accounts;
    await expectRevert(
      f.escrow.write.transferOwnership([other.account.address], { account: other.account }),
      "OwnableUnauthorizedAccount",
      [getAddress(other.account.address)],
    );
    expect(await f.escrow.read.pendingOwner()).toBe(zeroAddress);
  });

  it("the constructor caps the withdrawal fee at 100 bps", async () => {
    const f = await load();
    const { owner, treasury, arbiter } = f.accounts;
    const args = [owner.account.address, treasury.account.address, arbiter.account.address] as const;

    await expectRevert(f.viem.deployContract("MerchantEscrow", [...args, 101]), "EscrowFeeTooHigh", [101n, 100n]);
    const atCap = await f.viem.deployContract("MerchantEscrow", [...args, 100]);
    expect(await atCap.read.withdrawFeeBps()).toBe(100n);
  });

  it("the constructor rejects a zero treasury or arbiter", async () => {
    const f = await load();
    const { owner, treasury, arbiter } = f.accounts;

    await expectRevert(
      f.viem.deployContract("MerchantEscrow", [owner.account.address, zeroAddress, arbiter.account.address, 50]),
      "EscrowZeroAddress",
      [],
    );
    await expectRevert(
      f.viem.deployContract("MerchantEscrow", [owner.account.address, treasury.account.address, zeroAddress, 50]),
      "EscrowZeroAddress",
      [],
    );
  });

  // Fails against the current contract: the constructor calls the `onlyOwner` setters after
  // `Ownable(initialOwner)`, so any deployer other than `initialOwner` reverts with OwnableUnauthorizedAccount.
  it("a deployer may make another account the owner", async () => {
    const f = await load();
    const { owner, treasury, arbiter, relayer } = f.accounts;

    // A relayer key deploys an escrow owned by another account (a multisig, in production).
    const escrow = await f.viem.deployContract(
      "MerchantEscrow",
      [owner.account.address, treasury.account.address, arbiter.account.address, 50],
      { client: { wallet: relayer } },
    );

    expect(await escrow.read.owner()).toBe(getAddress(owner.account.address));
    expect(await escrow.read.treasury()).toBe(getAddress(treasury.account.address));
    expect(await escrow.read.arbiter()).toBe(getAddress(arbiter.account.address));
  });
});
