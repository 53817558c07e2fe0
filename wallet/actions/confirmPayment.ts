import type { Invoice } from "../../protocol/invoice.ts";
import type { GramClient } from "./client.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface ConfirmPaymentParameters {
  /** The invoice as signed (the escrow recomputes its id from it). */
  invoice: Invoice;
  confirm?: Confirm | undefined;
}

export type ConfirmPaymentReturnType = SentTransaction;

/**
 * Payer: releases everything held to the merchant, as a capture (cashback comes back to the payer).
 *
 * @example
 * const { hash } = await confirmPayment(client, { invoice });
 */
export function confirmPayment(
  client: GramClient,
  { invoice, confirm }: ConfirmPaymentParameters,
): Promise<ConfirmPaymentReturnType> {
  return escrowCall(client, "confirm", [invoice], confirm);
}
