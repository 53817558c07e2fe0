import { network } from "hardhat";
import { type Address, getAddress, keccak256, parseEventLogs, parseSignature, stringToHex, zeroAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, gram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

type Authorization = Awaited<ReturnType<GramFixture["signReceiveAuthorization"]>>;

/** The relayer submits `authorization` for `invoice` (default payer: the authorization's signer). */
async function relay(
  f: GramFixture,
  invoice: Invoice,
  authorization: Authorization,
  { tip = 0n, payer = authorization.from }: { tip?: bigint; payer?: Address } = {},
) {
  const merchantSignature = await f.signInvoice(invoice);
  const { r, s, yParity } = parseSignature(authorization.signature);
  const hash = await f.escrow.write.payWithAuthorization(
    [invoice, merchantSignature, tip, payer, authorization.validAfter, authorization.validBefore, 27 + yParity, r, s],
    { account: f.accounts.relayer.account.address },
  );
  return f.publicClient.waitForTransactionReceipt({ hash });
}

/** The payer's authorization for exactly what `invoice` costs with `tip`, nonce = the invoice id. */
async function authorize(f: GramFixture, invoice: Invoice, tip = 0n, from: Address = invoice.payer) {
  const nonce = await f.escrow.read.invoiceId([invoice]);
  return f.signReceiveAuthorization({ from, value: invoice.amount + tip, nonce });
}

describe("payWithAuthorization", () => {
  it("a relayer submits the payer's authorization: the payer pays no gas and needs no allowance", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    const relayer = f.accounts.relayer.account.address;
    await f.token.write.approve([f.escrow.address, 0n], { account: invoice.payer });
    const authorization = await authorize(f, invoice);
    const payerEthBefore = await f.publicClient.getBalance({ address: invoice.payer });
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    const relayerBefore = await f.token.read.balanceOf([relayer]);
    const receipt = await relay(f, invoice, authorization);
    expect(receipt.from).toBe(relayer);
    expect(await f.publicClient.getBalance({ address: invoice.payer })).toBe(payerEthBefore);
    expect(payerBefore - (await f.token.read.balanceOf([invoice.payer]))).toBe(invoice.amount);
    expect(await f.token.read.balanceOf([relayer])).toBe(relayerBefore);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
    expect(await f.escrow.read.paymentOf([id])).toEqual({ held: invoice.amount, refundable: 0n, disputedAt: 0 });
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args).toEqual({
      id,
      merchant: getAddress(invoice.merchant),
      payer: getAddress(invoice.payer),
      token: getAddress(invoice.token),
      amount: invoice.amount,
      tip: 0n,
    });
  });

  it("the authorization's nonce (the invoice id) is spent after the payment", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    expect(await f.token.read.authorizationState([invoice.payer, id])).toBe(false);
    await relay(f, invoice, await authorize(f, invoice));
    expect(await f.token.read.authorizationState([invoice.payer, id])).toBe(true);
  });

  it("an authorization for amount + tip pays the amount into escrow and the tip to the merchant", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const tip = gram("2.5");
    const merchantBefore = await f.token.read.balanceOf([invoice.merchant]);
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await relay(f, invoice, await authorize(f, invoice, tip), { tip });
    expect((await f.token.read.balanceOf([invoice.merchant])) - merchantBefore).toBe(tip);
    expect(payerBefore - (await f.token.read.balanceOf([invoice.payer]))).toBe(invoice.amount + tip);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
  });

  it("an authorization for the amount alone cannot pay a tip: ERC3009InvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await expectRevert(
      relay(f, invoice, await authorize(f, invoice), { tip: gram("1") }),
      "ERC3009InvalidSignature",
      [],
    );
  });

  it("an authorization whose nonce is not the invoice id reverts with ERC3009InvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const authorization = await f.signReceiveAuthorization({
      from: invoice.payer,
      value: invoice.amount,
      nonce: keccak256(stringToHex("some other nonce")),
    });
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await expectRevert(relay(f, invoice, authorization), "ERC3009InvalidSignature", []);
    expect(await f.token.read.balanceOf([invoice.payer])).toBe(payerBefore);
    expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  });

  it("the payer's authorization cannot be redirected to another merchant's invoice for the same amount", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const authorization = await authorize(f, invoice);
    const decoy = await f.makeInvoice({ merchant: f.accounts.merchant2.account.address, amount: invoice.amount });
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await expectRevert(relay(f, decoy, authorization), "ERC3009InvalidSignature", []);
    expect(await f.token.read.balanceOf([invoice.payer])).toBe(payerBefore);
    expect(await f.escrow.read.isInvoiceUsed([decoy.merchant, decoy.nonce])).toBe(false);
    // The authorization still pays the invoice it was signed for.
    await relay(f, invoice, authorization);
    expect(payerBefore - (await f.token.read.balanceOf([invoice.payer]))).toBe(invoice.amount);
  });

  it("the relayer cannot charge another account with the payer's authorization", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const authorization = await authorize(f, invoice, 0n, f.accounts.payer.account.address);
    await expectRevert(
      relay(f, invoice, authorization, { payer: f.accounts.payer2.account.address }),
      "ERC3009InvalidSignature",
      [],
    );
  });

  it("a third party calling token.receiveWithAuthorization directly reverts with GramCallerNotPayee(caller, escrow)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const authorization = await authorize(f, invoice);
    const { r, s, yParity } = parseSignature(authorization.signature);
    const other = f.accounts.other.account.address;
    await expectRevert(
      f.token.write.receiveWithAuthorization(
        [
          authorization.from,
          authorization.to,
          authorization.value,
          authorization.validAfter,
          authorization.validBefore,
          authorization.nonce,
          27 + yParity,
          r,
          s,
        ],
        { account: other },
      ),
      "GramCallerNotPayee",
      [getAddress(other), getAddress(f.escrow.address)],
    );
    expect(await f.token.read.authorizationState([invoice.payer, authorization.nonce])).toBe(false);
  });

  it("an authorization by another account for a payer-bound invoice reverts with EscrowWrongPayer(expected, actual)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const payer2 = f.accounts.payer2.account.address;
    const authorization = await authorize(f, invoice, 0n, payer2);
    await expectRevert(relay(f, invoice, authorization), "EscrowWrongPayer", [
      getAddress(invoice.payer),
      getAddress(payer2),
    ]);
  });

  it("an expired authorization reverts with ERC3009InvalidAuthorizationTime(validAfter, validBefore)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const validBefore = BigInt(await f.networkHelpers.time.latest());
    const authorization = await f.signReceiveAuthorization({
      from: invoice.payer,
      value: invoice.amount,
      nonce: await f.escrow.read.invoiceId([invoice]),
      validBefore,
    });
    await expectRevert(relay(f, invoice, authorization), "ERC3009InvalidAuthorizationTime", [0n, validBefore]);
  });

  it("an authorization not yet valid reverts with ERC3009InvalidAuthorizationTime(validAfter, validBefore)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const now = BigInt(await f.networkHelpers.time.latest());
    const authorization = await f.signReceiveAuthorization({
      from: invoice.payer,
      value: invoice.amount,
      nonce: await f.escrow.read.invoiceId([invoice]),
      validAfter: now + 600n,
      validBefore: now + 3600n,
    });
    await expectRevert(relay(f, invoice, authorization), "ERC3009InvalidAuthorizationTime", [now + 600n, now + 3600n]);
  });

  it("an open invoice paid by authorization records the signer, not the relayer, as its payer", async () => {
    const f = await load();
    const invoice = await f.makeInvoice({ payer: zeroAddress });
    const id = await f.escrow.read.invoiceId([invoice]);
    const payer2 = f.accounts.payer2.account.address;
    const payerBefore = await f.token.read.balanceOf([payer2]);
    const receipt = await relay(f, invoice, await authorize(f, invoice, 0n, payer2));
    expect(await f.escrow.read.openInvoicePayer([id])).toBe(getAddress(payer2));
    expect(payerBefore - (await f.token.read.balanceOf([payer2]))).toBe(invoice.amount);
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args.payer).toBe(getAddress(payer2));
  });

  it("replaying a used authorization reverts with EscrowInvoiceUsed and moves nothing", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const authorization = await authorize(f, invoice);
    await relay(f, invoice, authorization);
    const payerBefore = await f.token.read.balanceOf([invoice.payer]);
    await expectRevert(relay(f, invoice, authorization), "EscrowInvoiceUsed", [
      getAddress(invoice.merchant),
      invoice.nonce,
    ]);
    expect(await f.token.read.balanceOf([invoice.payer])).toBe(payerBefore);
  });

  it("payWithAuthorization reverts with EnforcedPause while paused", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const authorization = await authorize(f, invoice);
    await f.escrow.write.pause({ account: f.accounts.owner.account.address });
    await expectRevert(relay(f, invoice, authorization), "EnforcedPause", []);
    expect(await f.token.read.authorizationState([invoice.payer, authorization.nonce])).toBe(false);
  });
});
