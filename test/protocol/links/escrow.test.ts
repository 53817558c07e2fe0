// The link decoder against the real escrow on Hardhat's in-process chain: what a payer decodes from a link is
// exactly what the escrow accepts, and the signatures the decoder calls invalid are the ones it rejects.
import { network } from "hardhat";
import { bytesToHex, getAddress, hexToBytes } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { decodeInvoiceLink, encodeInvoiceLink } from "../../../protocol/links/invoice-link.ts";
import { metadataHash } from "../../../protocol/links/metadata.ts";
import { deployGram } from "../../../scripts/lib/contracts-fixture.ts";
import { expectRevert } from "../../kit/revert.ts";
import { pizza } from "./helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const f = await deployGram(connection);

describe("invoice links on the escrow", () => {
  it("an invoice decoded from its link has the escrow's id and pays", async () => {
    const invoice = await f.makeInvoice({ metadataHash: metadataHash(pizza) });
    const signature = await f.signInvoice(invoice);
    const link = encodeInvoiceLink({
      chainId: f.chainId,
      escrow: f.escrow.address,
      invoice,
      signature,
      metadata: pizza,
    });
    const decoded = await decodeInvoiceLink(link, {
      chainId: f.chainId,
      escrow: f.escrow.address,
      token: f.token.address,
    });
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.id).toBe(await f.escrow.read.invoiceId([decoded.invoice]));
    const payer = f.accounts.payer.account.address;
    const hash = await f.escrow.write.pay([decoded.invoice, decoded.signature, 0n], { account: payer });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect((await f.escrow.read.paymentOf([decoded.id])).held).toBe(invoice.amount);
  });

  it("a signature the decoder calls invalid (the high-s twin) is one the escrow rejects", async () => {
    const invoice = await f.makeInvoice();
    const bytes = hexToBytes(await f.signInvoice(invoice));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(bytesToHex(bytes.subarray(32, 64)));
    bytes.set(hexToBytes(`0x${(n - s).toString(16).padStart(64, "0")}`), 32);
    bytes[64] = bytes[64] === 27 ? 28 : 27;
    const link = encodeInvoiceLink({
      chainId: f.chainId,
      escrow: f.escrow.address,
      invoice,
      signature: bytesToHex(bytes),
    });
    const decoded = await decodeInvoiceLink(link);
    expect(decoded.signatureValid).toBe(false);
    await expectRevert(
      f.escrow.write.pay([decoded.invoice, decoded.signature, 0n], { account: f.accounts.payer.account.address }),
      "EscrowInvalidSignature",
      [getAddress(invoice.merchant)],
    );
  });
});
