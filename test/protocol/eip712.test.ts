// The protocol's EIP-712 definitions, signed by viem the way a wallet signs them, must produce digests
// GramToken accepts; a signature over the wrong type must not be accepted.
import { network } from "hardhat";
import { getAddress, type Hex, keccak256, parseSignature, stringToHex } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import {
  cancelAuthorizationTypes,
  gramTokenDomain,
  permitTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../protocol/eip712.ts";
import { deployGram, gram } from "../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

let nonceCount = 0;
const freshNonce = () => keccak256(stringToHex(`protocol-eip712-test:${nonceCount++}`));

type F = Awaited<ReturnType<typeof load>>;
type AuthorizationKind = "TransferWithAuthorization" | "ReceiveWithAuthorization";

/** An authorization of `value` from the payer to `other`, valid for an hour, signed by the payer. */
async function signAuthorization(f: F, kind: AuthorizationKind, value: bigint) {
  const from = f.accounts.payer.account.address;
  const to = f.accounts.other.account.address;
  const now = BigInt(await f.networkHelpers.time.latest());
  const message = { from, to, value, validAfter: 0n, validBefore: now + 3600n, nonce: freshNonce() };
  const domain = gramTokenDomain(f.chainId, f.token.address);
  const signature =
    kind === "TransferWithAuthorization"
      ? await f.accounts.owner.signTypedData({
          account: from,
          domain,
          types: transferWithAuthorizationTypes,
          primaryType: kind,
          message,
        })
      : await f.accounts.owner.signTypedData({
          account: from,
          domain,
          types: receiveWithAuthorizationTypes,
          primaryType: kind,
          message,
        });
  return { ...message, signature };
}

const args = (a: Awaited<ReturnType<typeof signAuthorization>>) =>
  [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.signature] as const;

const vrs = (signature: Hex) => {
  const { v, yParity, r, s } = parseSignature(signature);
  return [Number(v ?? BigInt(yParity + 27)), r, s] as const;
};

describe("ERC-3009 type definitions", () => {
  it("transferWithAuthorization: a relayer submits the payer's signature and the value moves", async () => {
    const f = await load();
    const { payer, other, relayer } = f.accounts;
    const auth = await signAuthorization(f, "TransferWithAuthorization", gram("7"));
    const before = await f.token.read.balanceOf([other.account.address]);
    await f.token.write.transferWithAuthorization(args(auth), { account: relayer.account });
    expect(await f.token.read.balanceOf([other.account.address])).toBe(before + gram("7"));
    expect(await f.token.read.authorizationState([payer.account.address, auth.nonce])).toBe(true);
  });

  it("transferWithAuthorization rejects a signature made with the ReceiveWithAuthorization type", async () => {
    const f = await load();
    const { relayer } = f.accounts;
    const auth = await signAuthorization(f, "ReceiveWithAuthorization", gram("7"));
    await expectRevert(
      f.token.write.transferWithAuthorization(args(auth), { account: relayer.account }),
      "ERC3009InvalidSignature",
      [],
    );
  });

  it("receiveWithAuthorization: the payee submits (v, r, s form) and the value moves", async () => {
    const f = await load();
    const { payer, other } = f.accounts;
    const auth = await signAuthorization(f, "ReceiveWithAuthorization", gram("2.5"));
    const before = await f.token.read.balanceOf([payer.account.address]);
    await f.token.write.receiveWithAuthorization(
      [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, ...vrs(auth.signature)],
      { account: other.account },
    );
    expect(await f.token.read.balanceOf([payer.account.address])).toBe(before - gram("2.5"));
    expect(await f.token.read.authorizationState([payer.account.address, auth.nonce])).toBe(true);
  });

  it("receiveWithAuthorization submitted by anyone but the payee reverts", async () => {
    const f = await load();
    const { other, relayer } = f.accounts;
    const auth = await signAuthorization(f, "ReceiveWithAuthorization", gram("1"));
    await expectRevert(
      f.token.write.receiveWithAuthorization(args(auth), { account: relayer.account }),
      "GramCallerNotPayee",
      [getAddress(relayer.account.address), getAddress(other.account.address)],
    );
  });

  it("cancelAuthorization: a signed cancellation burns the nonce, so the authorization can no longer be used", async () => {
    const f = await load();
    const { payer, relayer } = f.accounts;
    const auth = await signAuthorization(f, "TransferWithAuthorization", gram("1"));
    const signature = await payer.signTypedData({
      domain: gramTokenDomain(f.chainId, f.token.address),
      types: cancelAuthorizationTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: payer.account.address, nonce: auth.nonce },
    });
    await f.token.write.cancelAuthorization([payer.account.address, auth.nonce, signature], {
      account: relayer.account,
    });
    expect(await f.token.read.authorizationState([payer.account.address, auth.nonce])).toBe(true);
    await expectRevert(
      f.token.write.transferWithAuthorization(args(auth), { account: relayer.account }),
      "ERC3009UsedAuthorization",
      [getAddress(payer.account.address), auth.nonce],
    );
  });
});

describe("EIP-2612 type definition", () => {
  it("permit: a relayer submits the owner's signature and the allowance is set", async () => {
    const f = await load();
    const { payer, merchant, relayer } = f.accounts;
    const owner = payer.account.address;
    const spender = merchant.account.address;
    const nonce = await f.token.read.nonces([owner]);
    const deadline = BigInt(await f.networkHelpers.time.latest()) + 3600n;
    const signature = await payer.signTypedData({
      domain: gramTokenDomain(f.chainId, f.token.address),
      types: permitTypes,
      primaryType: "Permit",
      message: { owner, spender, value: gram("42"), nonce, deadline },
    });
    await f.token.write.permit([owner, spender, gram("42"), deadline, ...vrs(signature)], { account: relayer.account });
    expect(await f.token.read.allowance([owner, spender])).toBe(gram("42"));
    expect(await f.token.read.nonces([owner])).toBe(nonce + 1n);
  });
});
