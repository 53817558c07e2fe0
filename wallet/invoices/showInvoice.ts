import type { GramClient } from "../actions/client.ts";
import { chainNow } from "../actions/internal/chainNow.ts";
import { type InvoiceState, readInvoiceState } from "./readInvoiceState.ts";
import { findInvoice, type StoredInvoice } from "./stored-invoices.ts";

export interface ShowInvoiceParameters {
  /** The invoice id, or a unique prefix of it (at least 6 hex digits). */
  id: string;
}

export type ShowInvoiceReturnType = StoredInvoice & InvoiceState;

/**
 * One stored invoice with its state on the escrow (held, refundable, disputed).
 *
 * @example
 * const { invoice, status, held } = await showInvoice(client, { id: "0x3f2a9c" });
 */
export async function showInvoice(client: GramClient, { id }: ShowInvoiceParameters): Promise<ShowInvoiceReturnType> {
  const stored = await findInvoice(client.stores.invoices, id);
  return { ...stored, ...(await readInvoiceState(client, stored, await chainNow(client))) };
}
