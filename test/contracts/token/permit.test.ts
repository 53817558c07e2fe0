import { network } from "hardhat";
import { type Address, domainSeparator, type Hex, parseEventLogs, recoverTypedDataAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenDomain, permitTypes } from "../../../protocol/eip712.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { addressesOf, vrs } from "./authorization.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

type Permit = { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint };

async function makePermit(f: GramFixture, overrides: Partial<Permit> = {}): Promise<Permit> {
  const a = addressesOf(f);
  const now = BigInt(await f.networkHelpers.time.latest());
  const owner = overrides.owner ?? a.payer;
  return {
    owner,
    spender: a.relayer,
    value: gram("25"),
    nonce: await f.token.read.nonces([owner]),
    deadline: now + 3600n,
    ...overrides,
  };
}

function signPermit(f: GramFixture, permit: Permit, { signer = permit.owner, chainId = f.chainId } = {}) {
  return f.accounts.owner.signTypedData({
    account: signer,
    domain: gramTokenDomain(chainId, f.token.address),
    types: permitTypes,
    primaryType: "Permit",
    message: permit,
  });
}

/** The address the token recovers from `signature` over `permit` (what a failed permit reports as signer). */
function recoverPermitSigner(f: GramFixture, permit: Permit, signature: Hex) {
  return recoverTypedDataAddress({
    domain: gramTokenDomain(f.chainId, f.token.address),
    types: permitTypes,
    primaryType: "Permit",
    message: permit,
    signature,
  });
}

const permitArgs = (p: Permit, signature: Hex) => [p.owner, p.spender, p.value, p.deadline, ...vrs(signature)] as const;

describe("permit (EIP-2612)", () => {
  it("DOMAIN_SEPARATOR is the hash of the Gram token domain", async () => {
    const f = await load();
    expect(await f.token.read.DOMAIN_SEPARATOR()).toBe(
      domainSeparator({ domain: gramTokenDomain(f.chainId, f.token.address) }),
    );
  });

  it("a valid permit relayed by a third party sets the allowance, emits Approval and bumps the nonce", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    expect(permit.nonce).toBe(0n);
    const hash = await f.token.write.permit(permitArgs(permit, await signPermit(f, permit)), {
      account: f.accounts.other.account,
    });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(gram("25"));
    expect(await f.token.read.nonces([a.payer])).toBe(1n);
    const events = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Approval" });
    expect(events.map((e) => e.args)).toEqual([{ owner: a.payer, spender: a.relayer, value: gram("25") }]);
  });

  it("the spender of a permit may transferFrom up to the permitted value", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    await f.token.write.permit(permitArgs(permit, await signPermit(f, permit)));
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    await f.token.write.transferFrom([a.payer, a.treasury, gram("25")], { account: f.accounts.relayer.account });
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - gram("25"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("25"));
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(0n);
  });

  it("permit is accepted in the block whose timestamp equals the deadline", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit);
    await f.networkHelpers.time.setNextBlockTimestamp(permit.deadline);
    await f.token.write.permit(permitArgs(permit, signature));
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(gram("25"));
  });

  it("permit after the deadline reverts with ERC2612ExpiredSignature(deadline)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit);
    await f.networkHelpers.time.setNextBlockTimestamp(permit.deadline + 1n);
    await expectRevert(f.token.write.permit(permitArgs(permit, signature)), "ERC2612ExpiredSignature", [
      permit.deadline,
    ]);
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(0n);
    expect(await f.token.read.nonces([a.payer])).toBe(0n);
  });

  it("permit signed by someone other than the owner reverts with ERC2612InvalidSigner(signer, owner)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit, { signer: a.other });
    await expectRevert(f.token.write.permit(permitArgs(permit, signature)), "ERC2612InvalidSigner", [a.other, a.payer]);
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(0n);
    expect(await f.token.read.nonces([a.payer])).toBe(0n);
  });

  it("a permit cannot be replayed: the bumped nonce makes the same signature recover another signer", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit);
    await f.token.write.permit(permitArgs(permit, signature));
    await f.token.write.approve([a.relayer, 0n], { account: f.accounts.payer.account });

    const recovered = await recoverPermitSigner(f, { ...permit, nonce: 1n }, signature);
    expect(recovered).not.toBe(a.payer);
    await expectRevert(f.token.write.permit(permitArgs(permit, signature)), "ERC2612InvalidSigner", [
      recovered,
      a.payer,
    ]);
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(0n);
    expect(await f.token.read.nonces([a.payer])).toBe(1n);
  });

  it("permit signed for another chain id reverts with ERC2612InvalidSigner", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit, { chainId: f.chainId + 1 });
    const recovered = await recoverPermitSigner(f, permit, signature);
    await expectRevert(f.token.write.permit(permitArgs(permit, signature)), "ERC2612InvalidSigner", [
      recovered,
      a.payer,
    ]);
    expect(await f.token.read.nonces([a.payer])).toBe(0n);
  });

  it("permit with a value other than the signed one reverts with ERC2612InvalidSigner", async () => {
    const f = await load();
    const a = addressesOf(f);
    const permit = await makePermit(f);
    const signature = await signPermit(f, permit);
    const inflated = { ...permit, value: permit.value + 1n };
    const recovered = await recoverPermitSigner(f, inflated, signature);
    await expectRevert(f.token.write.permit(permitArgs(inflated, signature)), "ERC2612InvalidSigner", [
      recovered,
      a.payer,
    ]);
    expect(await f.token.read.allowance([a.payer, a.relayer])).toBe(0n);
  });
});
