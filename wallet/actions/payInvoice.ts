import { encodeFunctionData, type Hex, parseSignature } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { gramTokenDomain, permitTypes } from "../../protocol/eip712.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import { ChainError } from "../errors.ts";
import type { StoredInvoice } from "../invoices/invoice-store.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { checkPayable, savePayerInvoice } from "./internal/checkPayable.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./internal/submitTransaction.ts";
import { ensureBalance } from "./sendTransfer.ts";

export interface PayInvoiceParameters {
  invoice: Invoice;
  merchantSignature: Hex;
  /** In whole tokens, on top of the amount; goes straight to the merchant. @default "0" */
  tip?: string | undefined;
  /**
   * `direct`: `pay`, after an `approve` of exactly amount + tip if the allowance is short (two
   * transactions). `permit`: one `payWithPermit` transaction carrying an EIP-2612 permit. For gasless,
   * see `signPayWithAuthorization`.
   * @default "direct"
   */
  method?: "direct" | "permit" | undefined;
  /** What the payer was shown (it hashes to `invoice.metadataHash`), kept with the invoice. */
  metadata?: StoredInvoice["metadata"];
  /** Asked for each transaction: the approval, if one is needed, then the payment. */
  confirm?: Confirm | undefined;
}

export type PayInvoiceReturnType = SentTransaction & {
  /** The invoice id. */
  id: Hex;
  /** The approval sent first (method `direct` with a short allowance); already mined. */
  approval: SentTransaction | undefined;
};

/**
 * Payer: pays an invoice with an optional tip, after checking the merchant's signature, the payer, the
 * deadline, the tip and that it is unpaid. The amount is held by the escrow; the tip goes to the
 * merchant. The invoice is kept in `$GRAM_HOME/invoices` to confirm, dispute or reclaim it later.
 *
 * @example
 * const { hash, id } = await payInvoice(client, { invoice, merchantSignature, tip: "1", method: "permit" });
 */
export async function payInvoice(
  client: GramClient,
  { invoice, merchantSignature, tip = "0", method = "direct", metadata, confirm }: PayInvoiceParameters,
): Promise<PayInvoiceReturnType> {
  const account = requireAccount(client);
  const escrow = client.contracts.escrow;
  const checked = await checkPayable(client, { invoice, merchantSignature, payer: account.address, tip });
  const total = invoice.amount + checked.tip;
  await ensureBalance(client, { owner: account.address, token: checked.token, units: total });

  let approval: SentTransaction | undefined;
  let data: Hex;
  if (method === "permit") {
    const deadline = BigInt(invoice.payBefore);
    const nonce = await client.publicClient.readContract({
      address: invoice.token,
      abi: gramTokenAbi,
      functionName: "nonces",
      args: [account.address],
    });
    // The permit travels inside the payment's calldata, so the summary of that transaction shows it.
    const permit = await account.signTypedData({
      domain: gramTokenDomain(client.chainId, invoice.token),
      types: permitTypes,
      primaryType: "Permit",
      message: { owner: account.address, spender: escrow, value: total, nonce, deadline },
    });
    const { v, r, s, yParity } = parseSignature(permit);
    data = encodeFunctionData({
      abi: merchantEscrowAbi,
      functionName: "payWithPermit",
      args: [invoice, merchantSignature, checked.tip, deadline, Number(v ?? BigInt(yParity + 27)), r, s],
    });
  } else {
    const allowance = await client.publicClient.readContract({
      address: invoice.token,
      abi: gramTokenAbi,
      functionName: "allowance",
      args: [account.address, escrow],
    });
    if (allowance < total) {
      approval = await submitTransaction(
        client,
        {
          to: invoice.token,
          data: encodeFunctionData({ abi: gramTokenAbi, functionName: "approve", args: [escrow, total] }),
        },
        { confirm, what: "approve" },
      );
      const receipt = await client.publicClient.waitForTransactionReceipt({ hash: approval.hash });
      if (receipt.status !== "success") throw new ChainError(`the approval ${approval.hash} reverted`);
    }
    data = encodeFunctionData({
      abi: merchantEscrowAbi,
      functionName: "pay",
      args: [invoice, merchantSignature, checked.tip],
    });
  }
  const sent = await submitTransaction(client, { to: escrow, data }, { confirm, what: "pay" });
  await savePayerInvoice(client, { id: checked.id, invoice, merchantSignature, metadata });
  return { ...sent, id: checked.id, approval };
}
