import type { Invoice } from "../../protocol/invoice.ts";
import type { GramClient } from "./client.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface ReclaimPaymentParameters {
  /** The invoice as signed (the escrow recomputes its id from it). */
  invoice: Invoice;
  confirm?: Confirm | undefined;
}

export type ReclaimPaymentReturnType = SentTransaction;

/**
 * Payer: takes back everything held, from `captureBefore` on; while a dispute is open, only once it went
 * unanswered for the escrow's `DISPUTE_TIMEOUT` (even past `captureBefore`).
 *
 * @example
 * const { hash } = await reclaimPayment(client, { invoice });
 */
export function reclaimPayment(
  client: GramClient,
  { invoice, confirm }: ReclaimPaymentParameters,
): Promise<ReclaimPaymentReturnType> {
  return escrowCall(client, "reclaim", [invoice], confirm);
}
