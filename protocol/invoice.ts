import { type Address, type Hex, hashTypedData } from "viem";
import { escrowDomain, invoiceTypes } from "./eip712.ts";

/** A merchant's invoice as the escrow sees it; amounts in the token's base units. */
export interface Invoice {
  merchant: Address;
  token: Address;
  amount: bigint;
  maxTip: bigint;
  cashbackBps: number;
  /** The only account allowed to pay, or the zero address for whoever pays first. */
  payer: Address;
  /** The merchant's invoice number; each is paid or canceled at most once. */
  nonce: bigint;
  payBefore: number;
  captureBefore: number;
  refundBefore: number;
  ref: Hex;
  metadataHash: Hex;
}

export interface InvoiceIdParameters {
  chainId: number;
  escrow: Address;
  invoice: Invoice;
}

/**
 * The invoice id: the EIP-712 digest the merchant signs, equal to the escrow's `invoiceId(invoice)`.
 *
 * @example
 * const id = invoiceId({ chainId: 31337, escrow, invoice });
 */
export function invoiceId({ chainId, escrow, invoice }: InvoiceIdParameters): Hex {
  return hashTypedData({
    domain: escrowDomain(chainId, escrow),
    types: invoiceTypes,
    primaryType: "Invoice",
    message: invoice,
  });
}
