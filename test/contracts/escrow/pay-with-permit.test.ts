import { network } from "hardhat";
import {
  type Address,
  decodeErrorResult,
  encodeErrorResult,
  getAddress,
  parseEventLogs,
  parseSignature,
  recoverTypedDataAddress,
} from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import { gramTokenDomain, permitTypes } from "../../../protocol/eip712.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

interface PermitParameters {
  owner: Address;
  value: bigint;
  /** Who signs; the owner unless a test forges it. */
  signer?: Address;
  deadline?: bigint;
}

/** An EIP-2612 permit from `owner` to the escrow, as a wallet signs it, split into `v, r, s`. */
async function signPermit(f: GramFixture, { owner, value, signer = owner, deadline }: PermitParameters) {
  const message = {
    owner,
    spender: f.escrow.address,
    value,
    nonce: await f.token.read.nonces([owner]),
    deadline: deadline ?? BigInt(await f.networkHelpers.time.latest()) + 3600n,
  };
  const signature = await f.accounts.owner.signTypedData({
    account: signer,
    domain: gramTokenDomain(f.chainId, f.token.address),
    types: permitTypes,
    primaryType: "Permit",
    message,
  });
  const { r, s, yParity } = parseSignature(signature);
  return { message, signature, deadline: message.deadline, v: 27 + yParity, r, s };
}

type Permit = Awaited<ReturnType<typeof signPermit>>;

/** Pays `invoice` with `permit` as `from` (default: the payer) and returns the receipt. */
async function payWithPermit(
  f: GramFixture,
  invoice: Invoice,
  permit: Permit,
  { tip = 0n, from = invoice.payer } = {},
) {
  const signature = await f.signInvoice(invoice);
  const hash = await f.escrow.write.payWithPermit(
    [invoice, signature, tip, permit.deadline, permit.v, permit.r, permit.s],
    { account: from },
  );
  return f.publicClient.waitForTransactionReceipt({ hash });
}

/** Takes back the allowance the fixture gave the escrow, so that only a permit can pay. */
async function revokeAllowance(f: GramFixture, owner: Address) {
  await f.token.write.approve([f.escrow.address, 0n], { account: owner });
  expect(await f.token.read.allowance([owner, f.escrow.address])).toBe(0n);
}

describe("payWithPermit", () => {
  it("a payer without allowance pays amount and tip with a permit for exactly amount + tip", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    const tip = gram("1");
    await revokeAllowance(f, invoice.payer);
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount + tip });
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    const merchantBefore = await f.token.read.balanceOf([invoice.merchant]);
    const receipt = await payWithPermit(f, invoice, permit, { tip });
    expect(payerBefore - (await f.token.read.balanceOf([invoice.payer]))).toBe(invoice.amount + tip);
    expect((await f.token.read.balanceOf([invoice.merchant])) - merchantBefore).toBe(tip);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    // The permit was spent and its allowance used up to the last unit.
    expect(await f.token.read.nonces([invoice.payer])).toBe(permit.message.nonce + 1n);
    expect(await f.token.read.allowance([invoice.payer, f.escrow.address])).toBe(0n);
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args).toEqual({
      id,
      merchant: getAddress(invoice.merchant),
      payer: getAddress(invoice.payer),
      token: getAddress(invoice.token),
      amount: invoice.amount,
      tip,
    });
  });

  it("a permit front-run by someone else still lets the payment through", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await revokeAllowance(f, invoice.payer);
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount });
    // A watcher of the mempool submits the permit first; the payer's own permit call then fails.
    await f.token.write.permit(
      [invoice.payer, f.escrow.address, invoice.amount, permit.deadline, permit.v, permit.r, permit.s],
      { account: f.accounts.other.account.address },
    );
    expect(await f.token.read.allowance([invoice.payer, f.escrow.address])).toBe(invoice.amount);
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await payWithPermit(f, invoice, permit);
    expect(payerBefore - (await f.token.read.balanceOf([invoice.payer]))).toBe(invoice.amount);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(await f.token.read.allowance([invoice.payer, f.escrow.address])).toBe(0n);
  });

  it("a failed permit is ignored when the existing allowance covers the payment", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const allowanceBefore = await f.token.read.allowance([invoice.payer, f.escrow.address]);
    const forged = await signPermit(f, {
      owner: invoice.payer,
      value: invoice.amount,
      signer: f.accounts.other.account.address,
    });
    await payWithPermit(f, invoice, forged);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(allowanceBefore - (await f.token.read.allowance([invoice.payer, f.escrow.address]))).toBe(invoice.amount);
  });

  it("a permit by the wrong signer without allowance reverts with EscrowPermitFailed(ERC2612InvalidSigner)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const other = getAddress(f.accounts.other.account.address);
    await revokeAllowance(f, invoice.payer);
    const forged = await signPermit(f, { owner: invoice.payer, value: invoice.amount, signer: other });
    const reason = encodeErrorResult({
      abi: gramTokenAbi,
      errorName: "ERC2612InvalidSigner",
      args: [other, getAddress(invoice.payer)],
    });
    expect(decodeErrorResult({ abi: gramTokenAbi, data: reason }).errorName).toBe("ERC2612InvalidSigner");
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await expectRevert(payWithPermit(f, invoice, forged), "EscrowPermitFailed", [reason]);
    expect(await f.token.read.balanceOf([invoice.payer])).toBe(payerBefore);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  });

  it("a permit for the amount alone does not cover a tip: EscrowPermitFailed(ERC2612InvalidSigner)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const tip = gram("1");
    await revokeAllowance(f, invoice.payer);
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount });
    // The escrow asks the token for a permit of amount + tip, so the signature recovers to a stranger.
    const recovered = await recoverTypedDataAddress({
      domain: gramTokenDomain(f.chainId, f.token.address),
      types: permitTypes,
      primaryType: "Permit",
      message: { ...permit.message, value: invoice.amount + tip },
      signature: permit.signature,
    });
    const reason = encodeErrorResult({
      abi: gramTokenAbi,
      errorName: "ERC2612InvalidSigner",
      args: [recovered, getAddress(invoice.payer)],
    });
    await expectRevert(payWithPermit(f, invoice, permit, { tip }), "EscrowPermitFailed", [reason]);
  });

  it("an expired permit without allowance reverts with EscrowPermitFailed(ERC2612ExpiredSignature(deadline))", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await revokeAllowance(f, invoice.payer);
    const deadline = BigInt(await f.networkHelpers.time.latest());
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount, deadline });
    const reason = encodeErrorResult({ abi: gramTokenAbi, errorName: "ERC2612ExpiredSignature", args: [deadline] });
    await expectRevert(payWithPermit(f, invoice, permit), "EscrowPermitFailed", [reason]);
  });

  it("an expired invoice is refused with EscrowInvoiceExpired before the token is asked for the permit", async () => {
    const f = await load();
    const now = await f.networkHelpers.time.latest();
    const invoice = await f.makeInvoice({ payBefore: now + 10 });
    await revokeAllowance(f, invoice.payer);
    // A forged permit: were the token asked first, the payment would fail with EscrowPermitFailed.
    const forged = await signPermit(f, {
      owner: invoice.payer,
      value: invoice.amount,
      signer: getAddress(f.accounts.other.account.address),
    });
    await f.networkHelpers.time.setNextBlockTimestamp(now + 10);

    await expectRevert(payWithPermit(f, invoice, forged), "EscrowInvoiceExpired", [BigInt(now + 10), BigInt(now + 10)]);
  });

  it("an invoice the merchant did not sign is refused with EscrowInvalidSignature before its token is called", async () => {
    const f = await load();
    const { other, payer } = f.accounts;
    // Its "token" is not even a contract: calling it first would revert without a reason.
    const invoice = await f.makeInvoice({ token: getAddress(other.account.address) });
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount });
    const forgedInvoiceSignature = await f.signInvoice(invoice, other.account.address);

    await expectRevert(
      f.escrow.write.payWithPermit(
        [invoice, forgedInvoiceSignature, 0n, permit.deadline, permit.v, permit.r, permit.s],
        { account: payer.account },
      ),
      "EscrowInvalidSignature",
      [getAddress(invoice.merchant)],
    );
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  });

  it("payWithPermit reverts with EnforcedPause while paused", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await revokeAllowance(f, invoice.payer);
    const permit = await signPermit(f, { owner: invoice.payer, value: invoice.amount });
    await f.escrow.write.pause({ account: f.accounts.owner.account.address });
    await expectRevert(payWithPermit(f, invoice, permit), "EnforcedPause", []);
    expect(await f.token.read.nonces([invoice.payer])).toBe(permit.message.nonce);
  });
});
