import type { Invoice } from "../../protocol/invoice.ts";
import type { GramClient } from "./client.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface VoidPaymentParameters {
  /** The invoice as signed (the escrow recomputes its id from it). */
  invoice: Invoice;
  confirm?: Confirm | undefined;
}

export type VoidPaymentReturnType = SentTransaction;

/**
 * Merchant: returns everything the escrow holds for the invoice to its payer (allowed during a dispute:
 * the merchant concedes).
 *
 * @example
 * const { hash } = await voidPayment(client, { invoice });
 */
export function voidPayment(
  client: GramClient,
  { invoice, confirm }: VoidPaymentParameters,
): Promise<VoidPaymentReturnType> {
  return escrowCall(client, "void", [invoice], confirm);
}
