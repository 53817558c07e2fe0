import { network } from "hardhat";
import { getAddress, type Hex, hashTypedData, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenDomain, receiveWithAuthorizationTypes } from "../../../protocol/eip712.ts";
import { expectRevert } from "../../helpers/revert.ts";
import { deployGram, type GramFixture, gram } from "../fixture.ts";
import {
  type Authorization,
  addressesOf,
  authArgs,
  ecrecoverPrecompile,
  makeAuthorization,
  malleate,
  signCancel,
  signReceive,
  signTransfer,
  vrs,
} from "./authorization.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** Submits through the `v, r, s` overload, as the payee (the treasury) unless told otherwise. */
const submit = (f: GramFixture, auth: Authorization, signature: Hex, caller = f.accounts.treasury) =>
  f.token.write.receiveWithAuthorization([...authArgs(auth), ...vrs(signature)], { account: caller.account });

/** Submits through the `bytes signature` overload (USDC v2.2), as the payee unless told otherwise. */
const submitBytes = (f: GramFixture, auth: Authorization, signature: Hex, caller = f.accounts.treasury) =>
  f.token.write.receiveWithAuthorization([...authArgs(auth), signature], { account: caller.account });

/** A payer → treasury authorization: the treasury, which holds no GRAM, submits it as the payee. */
async function payerToTreasury(f: GramFixture, overrides: Partial<Authorization> = {}) {
  const a = addressesOf(f);
  return makeAuthorization(f, { from: a.payer, to: a.treasury, ...overrides });
}

/** Asserts that nothing moved and the nonce is still unused. */
async function expectUntouched(f: GramFixture, auth: Authorization, fromBalance: bigint) {
  expect(await f.token.read.balanceOf([auth.from])).toBe(fromBalance);
  expect(await f.token.read.balanceOf([auth.to])).toBe(0n);
  expect(await f.token.read.authorizationState([auth.from, auth.nonce])).toBe(false);
}

/** The checksummed address of a smart-contract wallet owned by the `other` EOA, holding 100 GRAM. */
async function deployWallet(f: GramFixture) {
  const wallet = await f.viem.deployContract("MockERC1271Wallet", [addressesOf(f).other]);
  await f.token.write.mint([wallet.address, gram("100")]);
  return getAddress(wallet.address);
}

describe("receiveWithAuthorization", () => {
  it("the payee receives exactly value, AuthorizationUsed is emitted and the nonce is marked used", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f, { value: gram("12.5") });
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(false);

    const hash = await submit(f, auth, await signReceive(f, auth));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - gram("12.5"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("12.5"));
    expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
    const used = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" });
    expect(used.map((e) => e.args)).toEqual([{ authorizer: a.payer, nonce: auth.nonce }]);
    const transfers = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfers.map((e) => e.args)).toEqual([{ from: a.payer, to: a.treasury, value: gram("12.5") }]);
  });

  it("receiveWithAuthorization called by someone other than to reverts with GramCallerNotPayee(caller, payee)", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth);
    await expectRevert(submit(f, auth, signature, f.accounts.relayer), "GramCallerNotPayee", [a.relayer, a.treasury]);
    await expectRevert(submitBytes(f, auth, signature, f.accounts.payer), "GramCallerNotPayee", [a.payer, a.treasury]);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization accepts an EOA signature through the bytes overload", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    await submitBytes(f, auth, await signReceive(f, auth));
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - auth.value);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(auth.value);
    expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
  });

  it("receiveWithAuthorization rejects a signature by someone other than from", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth, { signer: a.other });
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectRevert(submitBytes(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization rejects a TransferWithAuthorization signature", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signTransfer(f, auth);
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectRevert(submitBytes(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization rejects a signature for another chain id", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth, { domain: gramTokenDomain(f.chainId + 1, f.token.address) });
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization rejects a signature for another contract", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth, { domain: gramTokenDomain(f.chainId, f.escrow.address) });
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization reverts once now >= validBefore", async () => {
    const f = await load();
    const a = addressesOf(f);
    const now = BigInt(await f.networkHelpers.time.latest());
    const auth = await payerToTreasury(f, { validBefore: now + 100n });
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth);
    await f.networkHelpers.time.setNextBlockTimestamp(auth.validBefore);
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidAuthorizationTime", [
      auth.validAfter,
      auth.validBefore,
    ]);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization reverts while now <= validAfter", async () => {
    const f = await load();
    const a = addressesOf(f);
    const now = BigInt(await f.networkHelpers.time.latest());
    const auth = await payerToTreasury(f, { validAfter: now + 100n, validBefore: now + 200n });
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth);
    await f.networkHelpers.time.setNextBlockTimestamp(auth.validAfter);
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidAuthorizationTime", [
      auth.validAfter,
      auth.validBefore,
    ]);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization is accepted from validAfter + 1 to validBefore - 1", async () => {
    const f = await load();
    const a = addressesOf(f);
    const now = BigInt(await f.networkHelpers.time.latest());
    const first = await payerToTreasury(f, { validAfter: now + 100n, validBefore: now + 200n });
    const last = await payerToTreasury(f, { validAfter: now + 100n, validBefore: now + 200n, value: gram("1") });
    await f.networkHelpers.time.setNextBlockTimestamp(first.validAfter + 1n);
    await submit(f, first, await signReceive(f, first));
    await f.networkHelpers.time.setNextBlockTimestamp(last.validBefore - 1n);
    await submit(f, last, await signReceive(f, last));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(first.value + last.value);
  });

  it("receiveWithAuthorization rejects a reused nonce with ERC3009UsedAuthorization", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    await submit(f, auth, await signReceive(f, auth));
    const payerAfterFirst = await f.token.read.balanceOf([a.payer]);

    // The same nonce under a different, properly signed authorization is still spent.
    const again = { ...auth, value: gram("1") };
    await expectRevert(submit(f, again, await signReceive(f, again)), "ERC3009UsedAuthorization", [
      a.payer,
      auth.nonce,
    ]);
    await expectRevert(submit(f, auth, await signReceive(f, auth)), "ERC3009UsedAuthorization", [a.payer, auth.nonce]);
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerAfterFirst);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(auth.value);
  });

  it("receiveWithAuthorization rejects a cancelled nonce with ERC3009UsedAuthorization", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth);
    await f.token.write.cancelAuthorization([a.payer, auth.nonce, ...vrs(await signCancel(f, a.payer, auth.nonce))]);
    await expectRevert(submit(f, auth, signature), "ERC3009UsedAuthorization", [a.payer, auth.nonce]);
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(0n);
  });

  it("receiveWithAuthorization rejects a high-s signature that ecrecover accepts", async () => {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await signReceive(f, auth);
    const highS = malleate(signature);
    expect(highS).not.toBe(signature);
    const digest = hashTypedData({
      domain: gramTokenDomain(f.chainId, f.token.address),
      types: receiveWithAuthorizationTypes,
      primaryType: "ReceiveWithAuthorization",
      message: auth,
    });
    expect(await ecrecoverPrecompile(f, digest, highS)).toBe(a.payer);

    await expectRevert(submit(f, auth, highS), "ERC3009InvalidSignature", []);
    await expectRevert(submitBytes(f, auth, highS), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  });

  it("receiveWithAuthorization of more than the balance reverts with ERC20InsufficientBalance and leaves the nonce unused", async () => {
    const f = await load();
    const a = addressesOf(f);
    const balance = await f.token.read.balanceOf([a.payer]);
    const auth = await payerToTreasury(f, { value: balance + 1n });
    const signature = await signReceive(f, auth);
    await expectRevert(submit(f, auth, signature), "ERC20InsufficientBalance", [a.payer, balance, balance + 1n]);
    await expectUntouched(f, auth, balance);

    // The authorization stays usable once the balance covers it.
    await f.token.write.mint([a.payer, 1n]);
    await submit(f, auth, signature);
    expect(await f.token.read.balanceOf([a.payer])).toBe(0n);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(balance + 1n);
    expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
  });

  it("receiveWithAuthorization accepts an ERC-1271 wallet's signature through the v, r, s overload", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    const auth = await makeAuthorization(f, { from: wallet, to: a.treasury, value: gram("30") });
    const hash = await submit(f, auth, await signReceive(f, auth, { signer: a.other }));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.balanceOf([wallet])).toBe(gram("70"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("30"));
    expect(await f.token.read.authorizationState([wallet, auth.nonce])).toBe(true);
    const used = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" });
    expect(used.map((e) => e.args)).toEqual([{ authorizer: wallet, nonce: auth.nonce }]);
  });

  it("receiveWithAuthorization accepts an ERC-1271 wallet's signature through the bytes overload", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    const auth = await makeAuthorization(f, { from: wallet, to: a.treasury, value: gram("30") });
    await submitBytes(f, auth, await signReceive(f, auth, { signer: a.other }));
    expect(await f.token.read.balanceOf([wallet])).toBe(gram("70"));
    expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("30"));
    expect(await f.token.read.authorizationState([wallet, auth.nonce])).toBe(true);
  });

  it("receiveWithAuthorization rejects a signature for an ERC-1271 wallet by an EOA that does not own it", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    const auth = await makeAuthorization(f, { from: wallet, to: a.treasury, value: gram("30") });
    const signature = await signReceive(f, auth, { signer: a.payer });
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectRevert(submitBytes(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, gram("100"));
  });
});
