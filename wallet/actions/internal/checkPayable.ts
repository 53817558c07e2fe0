import { type Hex, isAddressEqual, zeroAddress } from "viem";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { formatAmount } from "../../../protocol/amounts.ts";
import { escrowDomain, invoiceTypes } from "../../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../../protocol/invoice.ts";
import { InvalidInvoiceError } from "../../errors.ts";
import type { StoredInvoice } from "../../invoices/stored-invoices.ts";
import type { GramClient } from "../client.ts";
import { parseTokenAmount } from "./amount.ts";
import { chainNow } from "./chainNow.ts";

/**
 * Checks, before anything is signed, what would otherwise only surface as a revert: the merchant really
 * signed this invoice for this chain and escrow, it names this payer (or none), it is unpaid and not
 * expired, and the tip is within its maximum. Returns the tip in base units and the invoice id.
 */
export async function checkPayable(
  client: GramClient,
  {
    invoice,
    merchantSignature,
    payer,
    tip,
  }: { invoice: Invoice; merchantSignature: Hex; payer: `0x${string}`; tip: string },
) {
  const escrow = client.contracts.escrow;
  const signed = await client.publicClient.verifyTypedData({
    address: invoice.merchant,
    domain: escrowDomain(client.chainId, escrow),
    types: invoiceTypes,
    primaryType: "Invoice",
    message: { ...invoice },
    signature: merchantSignature,
  });
  if (!signed) {
    throw new InvalidInvoiceError(
      `the invoice is not signed by its merchant ${invoice.merchant} for this chain and escrow`,
      {
        details: `chain ${client.chainId}, escrow ${escrow}`,
        hint: "the link was changed, or made for another chain or escrow; ask the merchant for a new one",
      },
    );
  }
  if (!isAddressEqual(invoice.payer, zeroAddress) && !isAddressEqual(invoice.payer, payer)) {
    throw new InvalidInvoiceError(`the invoice is for ${invoice.payer}, not for ${payer}`);
  }
  const { units: tipUnits, token } = await parseTokenAmount(client, { text: tip, token: invoice.token, what: "tip" });
  if (tipUnits > invoice.maxTip) {
    throw new InvalidInvoiceError(
      `tip ${formatAmount(tipUnits, token.decimals)} ${token.symbol} is above the invoice's maximum of ${formatAmount(invoice.maxTip, token.decimals)}`,
    );
  }
  const now = await chainNow(client);
  if (now >= invoice.payBefore) {
    throw new InvalidInvoiceError(`the invoice expired at ${new Date(invoice.payBefore * 1000).toISOString()}`);
  }
  const used = await client.publicClient.readContract({
    address: escrow,
    abi: merchantEscrowAbi,
    functionName: "isInvoiceUsed",
    args: [invoice.merchant, invoice.nonce],
  });
  if (used) throw new InvalidInvoiceError("the invoice was already paid or canceled by the merchant");
  return { tip: tipUnits, token, id: invoiceId({ chainId: client.chainId, escrow, invoice }) };
}

/** Keeps a paid (or signed-to-pay) invoice in `$GRAM_HOME/invoices`, to confirm, dispute or reclaim it later. */
export async function savePayerInvoice(
  client: GramClient,
  {
    id,
    invoice,
    merchantSignature,
    metadata,
  }: Pick<StoredInvoice, "id" | "invoice" | "merchantSignature" | "metadata">,
): Promise<void> {
  await client.stores.invoices.save({
    id,
    chainId: client.chainId,
    escrow: client.contracts.escrow,
    invoice,
    merchantSignature,
    metadata,
    role: "payer",
    createdAt: new Date().toISOString(),
  });
}
