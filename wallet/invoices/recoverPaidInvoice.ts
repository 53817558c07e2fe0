import { decodeFunctionData, type Hash, type Hex, isAddressEqual } from "viem";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import type { GramClient } from "../actions/client.ts";
import { ChainError, InvoiceNotFoundError } from "../errors.ts";
import type { StoredInvoice } from "./stored-invoices.ts";

export interface RecoverPaidInvoiceParameters {
  /** The invoice id (its EIP-712 digest). */
  id: Hex;
  /** The transaction that paid it (the node's `paidTx`, or any other source: it is checked). */
  tx: Hash;
}

export type RecoverPaidInvoiceReturnType = Omit<StoredInvoice, "metadata" | "role" | "createdAt">;

const PAY_FUNCTIONS = new Set(["pay", "payWithPermit", "payWithAuthorization"]);

/**
 * A paid invoice as the merchant signed it, read back from the chain: the transaction that paid it
 * called the configured escrow's `pay`, `payWithPermit` or `payWithAuthorization` with the invoice and the
 * merchant's signature as its first two arguments. The invoice must hash to `id` on this chain and escrow,
 * so a wrong `tx` (or a node that names one) cannot substitute another invoice. For a merchant whose
 * invoice was created elsewhere (another device, the CLI) and is not in its store: what capture, void and
 * refund need. A payment made through another contract (a smart wallet) is not decodable here: an
 * `InvoiceNotFoundError` says to use the invoice's link.
 *
 * @example
 * const { invoice } = await recoverPaidInvoice(client, { id: seen.id, tx: seen.paidTx });
 * await capturePayment(client, { invoice, amount: "9" });
 */
export async function recoverPaidInvoice(
  client: GramClient,
  { id, tx }: RecoverPaidInvoiceParameters,
): Promise<RecoverPaidInvoiceReturnType> {
  let transaction: { to: `0x${string}` | null; input: Hex };
  try {
    transaction = await client.publicClient.getTransaction({ hash: tx });
  } catch (cause) {
    throw new ChainError(`could not read transaction ${tx}, which paid invoice ${id}`, { cause });
  }
  const escrow = client.contracts.escrow;
  const notDecodable = (why: string) =>
    new InvoiceNotFoundError(`invoice ${id} cannot be read back from transaction ${tx}: ${why}`, {
      hint: "act on it with its gram:invoice/ link",
    });
  if (transaction.to === null || !isAddressEqual(transaction.to, escrow)) {
    throw notDecodable(`it calls ${transaction.to ?? "no contract"}, not the escrow ${escrow}`);
  }
  let decoded: { functionName: string; args: readonly unknown[] };
  try {
    const { functionName, args } = decodeFunctionData({ abi: merchantEscrowAbi, data: transaction.input });
    decoded = { functionName, args: (args ?? []) as readonly unknown[] };
  } catch {
    throw notDecodable("its call data is not one of the escrow's functions");
  }
  if (!PAY_FUNCTIONS.has(decoded.functionName)) {
    throw notDecodable(`it calls ${decoded.functionName}, not a payment`);
  }
  const invoice = decoded.args[0] as Invoice;
  const merchantSignature = decoded.args[1] as Hex;
  const computed = invoiceId({ chainId: client.chainId, escrow, invoice });
  if (computed.toLowerCase() !== id.toLowerCase()) {
    throw notDecodable(`the invoice it pays is ${computed}`);
  }
  return { id: computed, chainId: client.chainId, escrow, invoice: { ...invoice }, merchantSignature };
}
