import type { Invoice } from "../../protocol/invoice.ts";
import type { GramClient } from "./client.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface DisputePaymentParameters {
  /** The invoice as signed (the escrow recomputes its id from it). */
  invoice: Invoice;
  confirm?: Confirm | undefined;
}

export type DisputePaymentReturnType = SentTransaction;

/**
 * Payer: disputes the held funds before `captureBefore`; capture and reclaim then wait for the arbiter.
 *
 * @example
 * const { hash } = await disputePayment(client, { invoice });
 */
export function disputePayment(
  client: GramClient,
  { invoice, confirm }: DisputePaymentParameters,
): Promise<DisputePaymentReturnType> {
  return escrowCall(client, "dispute", [invoice], confirm);
}
