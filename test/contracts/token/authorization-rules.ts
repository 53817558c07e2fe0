// The ERC-3009 rules that transferWithAuthorization and receiveWithAuthorization share (signer, domain,
// validity window, nonce, signature malleability, ERC-1271 wallets, balance), registered once per function.
// What only one of them does (the payee-only caller check, a relayer's change of recipient) stays in its file.
import { type Address, getAddress, type Hex, hashTypedData, parseEventLogs, type TypedDataDomain } from "viem";
import { describe, expect, it } from "vitest";
import {
  gramTokenDomain,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../../protocol/eip712.ts";
import { type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
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

export type AuthorizationKind = "transfer" | "receive";

type Wallet = GramFixture["accounts"][keyof GramFixture["accounts"]];

/** How each function is signed and who submits it by default. */
const KINDS = {
  transfer: {
    name: "transferWithAuthorization",
    primaryType: "TransferWithAuthorization",
    sign: signTransfer,
    digest: (domain: TypedDataDomain, message: Authorization) =>
      hashTypedData({
        domain,
        types: transferWithAuthorizationTypes,
        primaryType: "TransferWithAuthorization",
        message,
      }),
    // Anyone may relay a transfer; the relayer's own balance must stay out of it.
    submitter: (f: GramFixture) => f.accounts.relayer,
    submitterRole: "the relayer",
  },
  receive: {
    name: "receiveWithAuthorization",
    primaryType: "ReceiveWithAuthorization",
    sign: signReceive,
    digest: (domain: TypedDataDomain, message: Authorization) =>
      hashTypedData({ domain, types: receiveWithAuthorizationTypes, primaryType: "ReceiveWithAuthorization", message }),
    // Only the payee may submit a receive, so that it cannot be front-run.
    submitter: (f: GramFixture) => f.accounts.treasury,
    submitterRole: "the payee",
  },
} as const;

const otherKind = (kind: AuthorizationKind): AuthorizationKind => (kind === "transfer" ? "receive" : "transfer");

/** `from`'s (or `signer`'s) EIP-712 signature over the typed data of `kind`. */
const signAuthorization = (
  f: GramFixture,
  kind: AuthorizationKind,
  auth: Authorization,
  options?: Parameters<typeof signTransfer>[2],
) => KINDS[kind].sign(f, auth, options);

/** Submits through the `v, r, s` overload, from the kind's default submitter unless `caller` is given. */
export function submitVrs(
  f: GramFixture,
  kind: AuthorizationKind,
  auth: Authorization,
  signature: Hex,
  caller: Wallet = KINDS[kind].submitter(f),
) {
  const args = [...authArgs(auth), ...vrs(signature)] as const;
  return kind === "transfer"
    ? f.token.write.transferWithAuthorization(args, { account: caller.account })
    : f.token.write.receiveWithAuthorization(args, { account: caller.account });
}

/** Submits through the `bytes signature` overload (USDC v2.2), from the kind's default submitter unless told. */
export function submitBytes(
  f: GramFixture,
  kind: AuthorizationKind,
  auth: Authorization,
  signature: Hex,
  caller: Wallet = KINDS[kind].submitter(f),
) {
  const args = [...authArgs(auth), signature] as const;
  return kind === "transfer"
    ? f.token.write.transferWithAuthorization(args, { account: caller.account })
    : f.token.write.receiveWithAuthorization(args, { account: caller.account });
}

/** A payer → treasury authorization: the treasury holds no GRAM, and neither the relayer nor it pays. */
async function payerToTreasury(f: GramFixture, overrides: Partial<Authorization> = {}) {
  const a = addressesOf(f);
  return makeAuthorization(f, { from: a.payer, to: a.treasury, ...overrides });
}

/** A payer → treasury authorization signed by the payer for `kind`, with the payer's balance before it. */
export async function signedPayerToTreasury(f: GramFixture, kind: AuthorizationKind) {
  const a = addressesOf(f);
  const auth = await payerToTreasury(f);
  const payerBefore = await f.token.read.balanceOf([a.payer]);
  const signature = await signAuthorization(f, kind, auth);
  return { a, auth, payerBefore, signature };
}

/** Asserts that nothing moved and the nonce is still unused. */
export async function expectUntouched(f: GramFixture, auth: Authorization, fromBalance: bigint) {
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

/** Registers, inside the caller's `describe`, the ERC-3009 rules that `kind`'s function must follow. */
export function describeAuthorizationRules(kind: AuthorizationKind, load: () => Promise<GramFixture>) {
  const { name, digest: digestOf, submitterRole } = KINDS[kind];
  const other = KINDS[otherKind(kind)];
  const sign = (f: GramFixture, auth: Authorization, options?: Parameters<typeof signTransfer>[2]) =>
    signAuthorization(f, kind, auth, options);
  const submit = (f: GramFixture, auth: Authorization, signature: Hex) => submitVrs(f, kind, auth, signature);
  const submitAsBytes = (f: GramFixture, auth: Authorization, signature: Hex) => submitBytes(f, kind, auth, signature);

  /**
   * Signs a fresh payer → treasury authorization with `makeSignature` and expects the `v, r, s` overload (and,
   * with "both", the bytes overload) to reject it with nothing moved.
   */
  async function expectBadSignature(
    makeSignature: (f: GramFixture, auth: Authorization) => Promise<Hex>,
    overloads: "vrs" | "both",
  ) {
    const f = await load();
    const a = addressesOf(f);
    const auth = await payerToTreasury(f);
    const payerBefore = await f.token.read.balanceOf([a.payer]);
    const signature = await makeSignature(f, auth);
    await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
    if (overloads === "both") await expectRevert(submitAsBytes(f, auth, signature), "ERC3009InvalidSignature", []);
    await expectUntouched(f, auth, payerBefore);
  }

  describe("ERC-3009 rules", () => {
    it(`${name} submitted by ${submitterRole} moves exactly value, emits AuthorizationUsed and marks the nonce used`, async () => {
      const f = await load();
      const a = addressesOf(f);
      const auth = await payerToTreasury(f, { value: gram("12.5") });
      const payerBefore = await f.token.read.balanceOf([a.payer]);
      // The relayer either submits (transfer) or stands by (receive): its balance must not move either way.
      const relayerBefore = await f.token.read.balanceOf([a.relayer]);
      expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(false);

      const hash = await submit(f, auth, await sign(f, auth));
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });

      expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - gram("12.5"));
      expect(await f.token.read.balanceOf([a.treasury])).toBe(gram("12.5"));
      expect(await f.token.read.balanceOf([a.relayer])).toBe(relayerBefore);
      expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
      const used = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" });
      expect(used.map((e) => e.args)).toEqual([{ authorizer: a.payer, nonce: auth.nonce }]);
      const transfers = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "Transfer" });
      expect(transfers.map((e) => e.args)).toEqual([{ from: a.payer, to: a.treasury, value: gram("12.5") }]);
    });

    it(`${name} accepts an EOA signature through the bytes overload`, async () => {
      const f = await load();
      const a = addressesOf(f);
      const auth = await payerToTreasury(f);
      const payerBefore = await f.token.read.balanceOf([a.payer]);
      await submitAsBytes(f, auth, await sign(f, auth));
      expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore - auth.value);
      expect(await f.token.read.balanceOf([a.treasury])).toBe(auth.value);
      expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
    });

    it(`${name} rejects a signature by someone other than from`, () =>
      expectBadSignature((f, auth) => sign(f, auth, { signer: addressesOf(f).other }), "both"));

    // Each kind's typed data is distinct, so a payee's ReceiveWithAuthorization cannot be front-run as a transfer.
    it(`${name} rejects a ${other.primaryType} signature`, () =>
      expectBadSignature((f, auth) => other.sign(f, auth), "both"));

    it(`${name} rejects a signature for another chain id`, () =>
      expectBadSignature(
        (f, auth) => sign(f, auth, { domain: gramTokenDomain(f.chainId + 1, f.token.address) }),
        "vrs",
      ));

    it(`${name} rejects a signature for another contract`, () =>
      expectBadSignature((f, auth) => sign(f, auth, { domain: gramTokenDomain(f.chainId, f.escrow.address) }), "vrs"));

    /** Submits at `at(auth)` an authorization valid over `window` and expects ERC3009InvalidAuthorizationTime. */
    async function expectOutsideWindow(
      window: (now: bigint) => Partial<Authorization>,
      at: (auth: Authorization) => bigint,
    ) {
      const f = await load();
      const a = addressesOf(f);
      const now = BigInt(await f.networkHelpers.time.latest());
      const auth = await payerToTreasury(f, window(now));
      const payerBefore = await f.token.read.balanceOf([a.payer]);
      const signature = await sign(f, auth);
      await f.networkHelpers.time.setNextBlockTimestamp(at(auth));
      await expectRevert(submit(f, auth, signature), "ERC3009InvalidAuthorizationTime", [
        auth.validAfter,
        auth.validBefore,
      ]);
      await expectUntouched(f, auth, payerBefore);
    }

    it(`${name} reverts once now >= validBefore`, () =>
      expectOutsideWindow(
        (now) => ({ validBefore: now + 100n }),
        (auth) => auth.validBefore,
      ));

    it(`${name} reverts while now <= validAfter`, () =>
      expectOutsideWindow(
        (now) => ({ validAfter: now + 100n, validBefore: now + 200n }),
        (auth) => auth.validAfter,
      ));

    it(`${name} is accepted from validAfter + 1 to validBefore - 1`, async () => {
      const f = await load();
      const a = addressesOf(f);
      const now = BigInt(await f.networkHelpers.time.latest());
      const first = await payerToTreasury(f, { validAfter: now + 100n, validBefore: now + 200n });
      const last = await payerToTreasury(f, { validAfter: now + 100n, validBefore: now + 200n, value: gram("1") });
      await f.networkHelpers.time.setNextBlockTimestamp(first.validAfter + 1n);
      await submit(f, first, await sign(f, first));
      await f.networkHelpers.time.setNextBlockTimestamp(last.validBefore - 1n);
      await submit(f, last, await sign(f, last));
      expect(await f.token.read.balanceOf([a.treasury])).toBe(first.value + last.value);
    });

    it(`${name} rejects a reused nonce with ERC3009UsedAuthorization`, async () => {
      const f = await load();
      const a = addressesOf(f);
      const auth = await payerToTreasury(f);
      await submit(f, auth, await sign(f, auth));
      const payerAfterFirst = await f.token.read.balanceOf([a.payer]);

      // The same nonce under a different, properly signed authorization is still spent.
      const again = { ...auth, value: gram("1") };
      await expectRevert(submit(f, again, await sign(f, again)), "ERC3009UsedAuthorization", [a.payer, auth.nonce]);
      await expectRevert(submit(f, auth, await sign(f, auth)), "ERC3009UsedAuthorization", [a.payer, auth.nonce]);
      expect(await f.token.read.balanceOf([a.payer])).toBe(payerAfterFirst);
      expect(await f.token.read.balanceOf([a.treasury])).toBe(auth.value);
    });

    it(`${name} rejects a cancelled nonce with ERC3009UsedAuthorization`, async () => {
      const f = await load();
      const { a, auth, payerBefore, signature } = await signedPayerToTreasury(f, kind);
      await f.token.write.cancelAuthorization([a.payer, auth.nonce, ...vrs(await signCancel(f, a.payer, auth.nonce))]);
      await expectRevert(submit(f, auth, signature), "ERC3009UsedAuthorization", [a.payer, auth.nonce]);
      expect(await f.token.read.balanceOf([a.payer])).toBe(payerBefore);
      expect(await f.token.read.balanceOf([a.treasury])).toBe(0n);
    });

    it(`${name} rejects a high-s signature that ecrecover accepts`, async () => {
      const f = await load();
      const { a, auth, payerBefore, signature } = await signedPayerToTreasury(f, kind);
      const highS = malleate(signature);
      expect(highS).not.toBe(signature);
      const digest = digestOf(gramTokenDomain(f.chainId, f.token.address), auth);
      expect(await ecrecoverPrecompile(f, digest, highS)).toBe(a.payer);

      await expectRevert(submit(f, auth, highS), "ERC3009InvalidSignature", []);
      await expectRevert(submitAsBytes(f, auth, highS), "ERC3009InvalidSignature", []);
      await expectUntouched(f, auth, payerBefore);
    });

    it(`${name} of more than the balance reverts with ERC20InsufficientBalance and leaves the nonce unused`, async () => {
      const f = await load();
      const a = addressesOf(f);
      const balance = await f.token.read.balanceOf([a.payer]);
      const auth = await payerToTreasury(f, { value: balance + 1n });
      const signature = await sign(f, auth);
      await expectRevert(submit(f, auth, signature), "ERC20InsufficientBalance", [a.payer, balance, balance + 1n]);
      await expectUntouched(f, auth, balance);

      // The authorization stays usable once the balance covers it.
      await f.token.write.mint([a.payer, 1n]);
      await submit(f, auth, signature);
      expect(await f.token.read.balanceOf([a.payer])).toBe(0n);
      expect(await f.token.read.balanceOf([a.treasury])).toBe(balance + 1n);
      expect(await f.token.read.authorizationState([a.payer, auth.nonce])).toBe(true);
    });

    /** A wallet → treasury authorization of 30 GRAM from a fresh ERC-1271 wallet owned by `other`. */
    async function fromWallet(f: GramFixture) {
      const wallet = await deployWallet(f);
      const auth = await makeAuthorization(f, { from: wallet, to: addressesOf(f).treasury, value: gram("30") });
      return { wallet, auth };
    }

    async function expectWalletPaid(f: GramFixture, wallet: Address, auth: Authorization) {
      expect(await f.token.read.balanceOf([wallet])).toBe(gram("70"));
      expect(await f.token.read.balanceOf([addressesOf(f).treasury])).toBe(gram("30"));
      expect(await f.token.read.authorizationState([wallet, auth.nonce])).toBe(true);
    }

    it(`${name} accepts an ERC-1271 wallet's signature through the v, r, s overload`, async () => {
      const f = await load();
      const { wallet, auth } = await fromWallet(f);
      const hash = await submit(f, auth, await sign(f, auth, { signer: addressesOf(f).other }));
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      await expectWalletPaid(f, wallet, auth);
      const used = parseEventLogs({ abi: f.token.abi, logs: receipt.logs, eventName: "AuthorizationUsed" });
      expect(used.map((e) => e.args)).toEqual([{ authorizer: wallet, nonce: auth.nonce }]);
    });

    it(`${name} accepts an ERC-1271 wallet's signature through the bytes overload`, async () => {
      const f = await load();
      const { wallet, auth } = await fromWallet(f);
      await submitAsBytes(f, auth, await sign(f, auth, { signer: addressesOf(f).other }));
      await expectWalletPaid(f, wallet, auth);
    });

    it(`${name} rejects a signature for an ERC-1271 wallet by an EOA that does not own it`, async () => {
      const f = await load();
      const { auth } = await fromWallet(f);
      const signature = await sign(f, auth, { signer: addressesOf(f).payer });
      await expectRevert(submit(f, auth, signature), "ERC3009InvalidSignature", []);
      await expectRevert(submitAsBytes(f, auth, signature), "ERC3009InvalidSignature", []);
      await expectUntouched(f, auth, gram("100"));
    });
  });
}
