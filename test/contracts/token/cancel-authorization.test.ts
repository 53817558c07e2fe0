import { network } from "hardhat";
import { type Address, getAddress, type Hex, hashTypedData, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { cancelAuthorizationTypes, gramTokenDomain } from "../../../protocol/eip712.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import {
  addressesOf,
  authArgs,
  ecrecoverPrecompile,
  makeAuthorization,
  malleate,
  nonceOf,
  signCancel,
  signReceive,
  signTransfer,
  vrs,
} from "./authorization.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

const NONCE = nonceOf("cancel");

/** Submits a cancellation through the `v, r, s` overload, from the relayer. */
const cancel = (f: GramFixture, authorizer: Address, nonce: Hex, signature: Hex) =>
  f.token.write.cancelAuthorization([authorizer, nonce, ...vrs(signature)], { account: f.accounts.relayer.account });

/** Submits a cancellation through the `bytes signature` overload, from the relayer. */
const cancelBytes = (f: GramFixture, authorizer: Address, nonce: Hex, signature: Hex) =>
  f.token.write.cancelAuthorization([authorizer, nonce, signature], { account: f.accounts.relayer.account });

/** The checksummed address of a smart-contract wallet owned by the `other` EOA. */
async function deployWallet(f: GramFixture) {
  const wallet = await f.viem.deployContract("MockERC1271Wallet", [addressesOf(f).other]);
  return getAddress(wallet.address);
}

describe("cancelAuthorization", () => {
  it("a relayed cancellation marks the nonce used and emits AuthorizationCanceled", async () => {
    const f = await load();
    const a = addressesOf(f);
    const hash = await cancel(f, a.payer, NONCE, await signCancel(f, a.payer, NONCE));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.authorizationState([a.payer, NONCE])).toBe(true);
    expect(await f.token.read.authorizationState([a.other, NONCE])).toBe(false);
    const canceled = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationCanceled" });
    expect(canceled.map((e) => e.args)).toEqual([{ authorizer: a.payer, nonce: NONCE }]);
    expect(parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" })).toEqual([]);
  });

  it("a cancelled nonce can no longer be used by transferWithAuthorization or receiveWithAuthorization", async () => {
    const f = await load();
    const a = addressesOf(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const auth = await makeAuthorization(f, { from: a.payer, to: a.treasury, nonce: NONCE });
    const transferSignature = await signTransfer(f, auth);
    const receiveSignature = await signReceive(f, auth);
    await cancelBytes(f, a.payer, NONCE, await signCancel(f, a.payer, NONCE));

    await expectRevert(
      f.token.write.transferWithAuthorization([...authArgs(auth), ...vrs(transferSignature)]),
      "ERC3009UsedAuthorization",
      [a.payer, NONCE],
    );
    await expectRevert(
      f.token.write.receiveWithAuthorization([...authArgs(auth), receiveSignature], {
        account: f.accounts.treasury.account,
      }),
      "ERC3009UsedAuthorization",
      [a.payer, NONCE],
    );
    expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore);
    expect(await f.token.read.balanceOf([a.treasury])).toBe(0n);
  });

  it("cancelAuthorization of a nonce already cancelled or used reverts with ERC3009UsedAuthorization", async () => {
    const f = await load();
    const a = addressesOf(f);
    const signature = await signCancel(f, a.payer, NONCE);
    await cancel(f, a.payer, NONCE, signature);
    await expectRevert(cancel(f, a.payer, NONCE, signature), "ERC3009UsedAuthorization", [a.payer, NONCE]);

    const auth = await makeAuthorization(f, { from: a.payer, to: a.treasury, nonce: nonceOf("spent") });
    await f.token.write.transferWithAuthorization([...authArgs(auth), ...vrs(await signTransfer(f, auth))]);
    await expectRevert(
      cancel(f, a.payer, auth.nonce, await signCancel(f, a.payer, auth.nonce)),
      "ERC3009UsedAuthorization",
      [a.payer, auth.nonce],
    );
    expect(await f.token.read.balanceOf([a.treasury])).toBe(auth.value);
  });

  it("cancelAuthorization rejects a signature by someone other than the authorizer", async () => {
    const f = await load();
    const a = addressesOf(f);
    const signature = await signCancel(f, a.payer, NONCE, { signer: a.other });
    await expectRevert(cancel(f, a.payer, NONCE, signature), "ERC3009InvalidSignature", []);
    await expectRevert(cancelBytes(f, a.payer, NONCE, signature), "ERC3009InvalidSignature", []);
    expect(await f.token.read.authorizationState([a.payer, NONCE])).toBe(false);
  });

  it("cancelAuthorization rejects a signature for another chain id", async () => {
    const f = await load();
    const a = addressesOf(f);
    const domain = gramTokenDomain(f.chainId + 1, f.token.address);
    const signature = await signCancel(f, a.payer, NONCE, { domain });
    await expectRevert(cancel(f, a.payer, NONCE, signature), "ERC3009InvalidSignature", []);
    expect(await f.token.read.authorizationState([a.payer, NONCE])).toBe(false);
  });

  it("cancelAuthorization rejects a signature for another contract", async () => {
    const f = await load();
    const a = addressesOf(f);
    const domain = gramTokenDomain(f.chainId, f.escrow.address);
    const signature = await signCancel(f, a.payer, NONCE, { domain });
    await expectRevert(cancel(f, a.payer, NONCE, signature), "ERC3009InvalidSignature", []);
    expect(await f.token.read.authorizationState([a.payer, NONCE])).toBe(false);
  });

  it("cancelAuthorization rejects a high-s signature that ecrecover accepts", async () => {
    const f = await load();
    const a = addressesOf(f);
    const highS = malleate(await signCancel(f, a.payer, NONCE));
    const digest = hashTypedData({
      domain: gramTokenDomain(f.chainId, f.token.address),
      types: cancelAuthorizationTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer: a.payer, nonce: NONCE },
    });
    expect(await ecrecoverPrecompile(f, digest, highS)).toBe(a.payer);
    await expectRevert(cancel(f, a.payer, NONCE, highS), "ERC3009InvalidSignature", []);
    await expectRevert(cancelBytes(f, a.payer, NONCE, highS), "ERC3009InvalidSignature", []);
    expect(await f.token.read.authorizationState([a.payer, NONCE])).toBe(false);
  });

  it("cancelAuthorization accepts an ERC-1271 wallet's signature through the v, r, s overload", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    const hash = await cancel(f, wallet, NONCE, await signCancel(f, wallet, NONCE, { signer: a.other }));
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.token.read.authorizationState([wallet, NONCE])).toBe(true);
    const canceled = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationCanceled" });
    expect(canceled.map((e) => e.args)).toEqual([{ authorizer: wallet, nonce: NONCE }]);
  });

  it("cancelAuthorization accepts an ERC-1271 wallet's signature through the bytes overload", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    await cancelBytes(f, wallet, NONCE, await signCancel(f, wallet, NONCE, { signer: a.other }));
    expect(await f.token.read.authorizationState([wallet, NONCE])).toBe(true);
  });

  it("cancelAuthorization rejects a signature for an ERC-1271 wallet by an EOA that does not own it", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    const signature = await signCancel(f, wallet, NONCE, { signer: a.payer });
    await expectRevert(cancel(f, wallet, NONCE, signature), "ERC3009InvalidSignature", []);
    await expectRevert(cancelBytes(f, wallet, NONCE, signature), "ERC3009InvalidSignature", []);
    expect(await f.token.read.authorizationState([wallet, NONCE])).toBe(false);
  });

  it("a cancelled ERC-1271 wallet nonce cannot then move the wallet's funds", async () => {
    const f = await load();
    const a = addressesOf(f);
    const wallet = await deployWallet(f);
    await f.token.write.mint([wallet, gram("100")]);
    const auth = await makeAuthorization(f, { from: wallet, to: a.treasury, nonce: NONCE });
    const signature = await signTransfer(f, auth, { signer: a.other });
    await cancel(f, wallet, NONCE, await signCancel(f, wallet, NONCE, { signer: a.other }));
    await expectRevert(
      f.token.write.transferWithAuthorization([...authArgs(auth), signature]),
      "ERC3009UsedAuthorization",
      [wallet, NONCE],
    );
    expect(await f.token.read.balanceOf([wallet])).toBe(gram("100"));
  });
});
