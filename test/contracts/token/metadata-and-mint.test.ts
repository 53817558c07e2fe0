import { network } from "hardhat";
import { getAddress, keccak256, parseEventLogs, stringToHex, zeroAddress, zeroHash } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenDomain } from "../../../protocol/eip712.ts";
import { deployGram, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { addressesOf } from "./authorization.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

const MINTER_ROLE = keccak256(stringToHex("MINTER_ROLE"));

describe("metadata and mint", () => {
  it("the token is named Gram, has the symbol GRAM and 9 decimals", async () => {
    const f = await load();
    expect(await f.token.read.name()).toBe("Gram");
    expect(await f.token.read.symbol()).toBe("GRAM");
    expect(await f.token.read.decimals()).toBe(9);
  });

  it("the EIP-712 domain is Gram version 1 on this chain at the token's address", async () => {
    const f = await load();
    const [, name, version, chainId, verifyingContract] = await f.token.read.eip712Domain();
    expect({ name, version, chainId: Number(chainId), verifyingContract }).toEqual(
      gramTokenDomain(f.chainId, getAddress(f.token.address)),
    );
  });

  it("the deployer's admin holds the admin and minter roles, and MINTER_ROLE is keccak256('MINTER_ROLE')", async () => {
    const f = await load();
    const a = addressesOf(f);
    const admin = a.owner;
    expect(await f.token.read.MINTER_ROLE()).toBe(MINTER_ROLE);
    expect(await f.token.read.hasRole([zeroHash, admin])).toBe(true);
    expect(await f.token.read.hasRole([MINTER_ROLE, admin])).toBe(true);
    expect(await f.token.read.hasRole([MINTER_ROLE, a.payer])).toBe(false);
  });

  it("the admin mints: the recipient's balance and the supply grow by exactly the amount", async () => {
    const f = await load();
    const a = addressesOf(f);
    const to = a.treasury;
    const supplyBefore = await f.token.read.totalSupply();
    const hash = await f.token.write.mint([to, gram("12.345678901")]);
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.balanceOf([to])).toBe(12_345_678_901n);
    expect(await f.token.read.totalSupply()).toBe(supplyBefore + 12_345_678_901n);
    const [transfer] = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfer?.args).toEqual({ from: zeroAddress, to, value: 12_345_678_901n });
  });

  it("mint by an account without the minter role reverts with AccessControlUnauthorizedAccount", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { payer } = f.accounts;
    const supplyBefore = await f.token.read.totalSupply();
    await expectRevert(
      f.token.write.mint([a.payer, gram("1")], { account: payer.account }),
      "AccessControlUnauthorizedAccount",
      [a.payer, MINTER_ROLE],
    );
    expect(await f.token.read.totalSupply()).toBe(supplyBefore);
  });

  it("an account granted the minter role may mint, and may not once it is revoked", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { other } = f.accounts;
    await f.token.write.grantRole([MINTER_ROLE, a.other]);
    await f.token.write.mint([a.treasury, gram("5")], { account: other.account });
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("5"));

    await f.token.write.revokeRole([MINTER_ROLE, a.other]);
    await expectRevert(
      f.token.write.mint([a.treasury, gram("5")], { account: other.account }),
      "AccessControlUnauthorizedAccount",
      [a.other, MINTER_ROLE],
    );
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("5"));
  });

  it("only the admin may grant the minter role", async () => {
    const f = await load();
    const a = addressesOf(f);
    const { other } = f.accounts;
    await expectRevert(
      f.token.write.grantRole([MINTER_ROLE, a.other], { account: other.account }),
      "AccessControlUnauthorizedAccount",
      [a.other, zeroHash],
    );
    expect(await f.token.read.hasRole([MINTER_ROLE, a.other])).toBe(false);
  });
});
