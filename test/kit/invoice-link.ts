// A merchant's signed invoice link on the test chain, as the browser tests paste and open it: 9 GRAM with
// a tip of up to 2, payable for an hour, its metadata hashed into the invoice; `overrides` set the rest.
import { keccak256, type LocalAccount, stringToHex } from "viem";
import { escrowDomain, invoiceTypes } from "../../protocol/eip712.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import { encodeInvoiceLink } from "../../protocol/links/invoice-link.ts";
import { type InvoiceMetadata, metadataHash } from "../../protocol/links/metadata.ts";
import type { TestChain } from "./chain.ts";

const GRAM = 1_000_000_000n;

export interface SignedInvoiceLink {
  invoice: Invoice;
  link: string;
}

/** Signs an invoice of `merchant` (a `ref` label, hashed) and encodes its link with `metadata`. */
export async function signedInvoiceLink(
  chain: TestChain,
  {
    merchant,
    metadata,
    ref,
    ...overrides
  }: { merchant: LocalAccount; metadata: InvoiceMetadata; ref: string } & Partial<Omit<Invoice, "ref" | "merchant">>,
): Promise<SignedInvoiceLink> {
  const now = Number((await chain.client.getBlock()).timestamp);
  const invoice: Invoice = {
    merchant: merchant.address,
    token: chain.token,
    amount: 9n * GRAM,
    maxTip: 2n * GRAM,
    cashbackBps: 100,
    payer: "0x0000000000000000000000000000000000000000",
    nonce: 1n,
    payBefore: now + 3_600,
    captureBefore: now + 7 * 86_400,
    refundBefore: now + 30 * 86_400,
    ref: keccak256(stringToHex(ref)),
    metadataHash: metadataHash(metadata),
    ...overrides,
  };
  const signature = await merchant.signTypedData({
    domain: escrowDomain(chain.chainId, chain.escrow),
    types: invoiceTypes,
    primaryType: "Invoice",
    message: invoice,
  });
  return {
    invoice,
    link: encodeInvoiceLink({ chainId: chain.chainId, escrow: chain.escrow, invoice, signature, metadata }),
  };
}
