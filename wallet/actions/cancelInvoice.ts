import type { GramClient } from "./client.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface CancelInvoiceParameters {
  /** The merchant's invoice number (`invoice.nonce`). */
  nonce: bigint;
  confirm?: Confirm | undefined;
}

export type CancelInvoiceReturnType = SentTransaction;

/**
 * Merchant: spends an unpaid invoice number on the escrow, so that no link to that invoice can be paid.
 *
 * @example
 * const { hash } = await cancelInvoice(client, { nonce: stored.invoice.nonce });
 */
export function cancelInvoice(
  client: GramClient,
  { nonce, confirm }: CancelInvoiceParameters,
): Promise<CancelInvoiceReturnType> {
  return escrowCall(client, "cancelInvoice", [nonce], confirm);
}
