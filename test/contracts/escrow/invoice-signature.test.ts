import { network } from "hardhat";
import {
  compactSignatureToSignature,
  getAddress,
  type Hex,
  hexToBigInt,
  numberToHex,
  parseCompactSignature,
  parseEventLogs,
  parseSignature,
  recoverAddress,
  serializeCompactSignature,
  serializeSignature,
  signatureToCompactSignature,
  size,
  zeroAddress,
} from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { escrowDomain } from "../../../protocol/eip712.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { deployGram, type GramFixture, WITHDRAW_FEE_BPS } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";

const connection = await network.create();
afterAll(() => connection.close());
const deploy = () => deployGram(connection);
const load = () => connection.networkHelpers.loadFixture(deploy);

/** The order of secp256k1's group: `s` and `n - s` are both valid for ecrecover. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Pays `invoice` with `signature` as its payer, returning the receipt. */
async function payWith(f: GramFixture, invoice: Invoice, signature: Hex) {
  const hash = await f.escrow.write.pay([invoice, signature, 0n], { account: f.accounts.payer.account.address });
  return f.publicClient.waitForTransactionReceipt({ hash });
}

/** Asserts that `invoice` is still unpaid: its nonce unspent and nothing held. */
async function expectUnpaid(f: GramFixture, invoice: Invoice) {
  const id = await f.escrow.read.invoiceId([invoice]);
  expect(await f.escrow.read.isInvoiceUsed([invoice.merchant, invoice.nonce])).toBe(false);
  expect(await f.escrow.read.paymentOf([id])).toEqual({ held: 0n, refundable: 0n, disputedAt: 0 });
  expect(await f.token.read.balanceOf([f.escrow.address])).toBe(0n);
}

describe("invoice signature", () => {
  it("a signature by someone other than the merchant reverts with EscrowInvalidSignature(merchant)", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice, f.accounts.other.account.address);
    await expectRevert(payWith(f, invoice, signature), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
  });

  it("the payer cannot sign its own invoice on the merchant's behalf", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice, f.accounts.payer.account.address);
    await expectRevert(payWith(f, invoice, signature), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
  });

  it("a signature for another chain id reverts with EscrowInvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice, invoice.merchant, escrowDomain(f.chainId + 1, f.escrow.address));
    await expectRevert(payWith(f, invoice, signature), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
  });

  it("a signature for another escrow reverts with EscrowInvalidSignature, though that escrow accepts it", async () => {
    const f = await load();
    const { owner, treasury, arbiter, payer } = f.accounts;
    const escrow2 = await f.viem.deployContract("MerchantEscrow", [
      owner.account.address,
      treasury.account.address,
      arbiter.account.address,
      WITHDRAW_FEE_BPS,
    ]);
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice, invoice.merchant, escrowDomain(f.chainId, escrow2.address));
    await expectRevert(payWith(f, invoice, signature), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);

    await f.token.write.approve([escrow2.address, invoice.amount], { account: payer.account.address });
    await escrow2.write.pay([invoice, signature, 0n], { account: payer.account.address });
    expect(await f.token.read.balanceOf([escrow2.address])).toBe(invoice.amount);
  });

  it("changing the amount after signing reverts with EscrowInvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice);
    const tampered = { ...invoice, amount: invoice.amount - 1n };
    await expectRevert(payWith(f, tampered, signature), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
    // The untampered invoice still pays with the same signature.
    await payWith(f, invoice, signature);
    expect(await f.token.read.balanceOf([f.escrow.address])).toBe(invoice.amount);
  });

  it("turning a payer-bound invoice into an open one after signing reverts with EscrowInvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const signature = await f.signInvoice(invoice);
    const tampered = { ...invoice, payer: zeroAddress };
    const hash = f.escrow.write.pay([tampered, signature, 0n], { account: f.accounts.other.account.address });
    await expectRevert(hash, "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
  });

  it("a high-s (malleated) merchant signature reverts with EscrowInvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    const signature = await f.signInvoice(invoice);
    const { r, s, yParity } = parseSignature(signature);
    const malleated = serializeSignature({
      r,
      s: numberToHex(SECP256K1_N - hexToBigInt(s), { size: 32 }),
      yParity: yParity === 0 ? 1 : 0,
    });
    // The twin recovers to the merchant all the same: only the low-s rule tells it apart.
    expect(await recoverAddress({ hash: id, signature: malleated })).toBe(getAddress(invoice.merchant));
    await expectRevert(payWith(f, invoice, malleated), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
  });

  it("an empty signature reverts with EscrowInvalidSignature", async () => {
    const f = await load();
    const invoice = await f.makeInvoice();
    await expectRevert(payWith(f, invoice, "0x"), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
  });

  it("an ERC-1271 merchant's invoice signed by its owner is accepted", async () => {
    const f = await load();
    const wallet = await f.viem.deployContract("MockERC1271Wallet", [f.accounts.merchant.account.address]);
    const invoice = await f.makeInvoice({ merchant: wallet.address });
    const id = await f.escrow.read.invoiceId([invoice]);
    const signature = await f.signInvoice(invoice, f.accounts.merchant.account.address);
    const receipt = await payWith(f, invoice, signature);
    const [event] = parseEventLogs({ abi: merchantEscrowAbi, logs: receipt.logs, eventName: "InvoicePaid" });
    expect(event?.args).toMatchObject({ id, merchant: getAddress(wallet.address), amount: invoice.amount });
    expect((await f.escrow.read.paymentOf([id])).held).toBe(invoice.amount);
    expect(await f.escrow.read.isInvoiceUsed([wallet.address, invoice.nonce])).toBe(true);
  });

  it("an ERC-1271 merchant's invoice signed by another EOA reverts with EscrowInvalidSignature(wallet)", async () => {
    const f = await load();
    const wallet = await f.viem.deployContract("MockERC1271Wallet", [f.accounts.merchant.account.address]);
    const invoice = await f.makeInvoice({ merchant: wallet.address });
    const signature = await f.signInvoice(invoice, f.accounts.other.account.address);
    await expectRevert(payWith(f, invoice, signature), "EscrowInvalidSignature", [getAddress(wallet.address)]);
    await expectUnpaid(f, invoice);
  });

  it("a 64-byte EIP-2098 compact merchant signature is rejected: only 65-byte signatures are accepted", async () => {
    // OpenZeppelin 5's ECDSA.tryRecoverCalldata rejects ERC-2098 short signatures (InvalidSignatureLength);
    // wallets' eth_signTypedData_v4 always returns 65 bytes, so the merchant signs in that form.
    const f = await load();
    const invoice = await f.makeInvoice();
    const id = await f.escrow.read.invoiceId([invoice]);
    const compact = serializeCompactSignature(
      signatureToCompactSignature(parseSignature(await f.signInvoice(invoice))),
    );
    expect(size(compact)).toBe(64);
    const expanded = compactSignatureToSignature(parseCompactSignature(compact));
    expect(await recoverAddress({ hash: id, signature: expanded })).toBe(getAddress(invoice.merchant));
    await expectRevert(payWith(f, invoice, compact), "EscrowInvalidSignature", [getAddress(invoice.merchant)]);
    await expectUnpaid(f, invoice);
  });
});
