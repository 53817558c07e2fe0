import type { GramClient } from "../actions/client.ts";
import { chainNow } from "../actions/internal/chainNow.ts";
import { type InvoiceState, readInvoiceState } from "./readInvoiceState.ts";
import { allInvoices, type StoredInvoice } from "./stored-invoices.ts";

export interface ListInvoicesParameters {
  /** Only those this wallet created (merchant) or paid (payer). */
  role?: "merchant" | "payer" | undefined;
}

export type ListInvoicesReturnType = (StoredInvoice & InvoiceState)[];

/**
 * The invoices kept in `$GRAM_HOME/invoices` for the configured chain and escrow, newest first, each with
 * its state read from the escrow.
 *
 * @example
 * for (const { id, status, metadata } of await listInvoices(client, { role: "merchant" })) console.log(id, status, metadata?.title);
 */
export async function listInvoices(
  client: GramClient,
  { role }: ListInvoicesParameters = {},
): Promise<ListInvoicesReturnType> {
  const now = await chainNow(client);
  const stored = (await allInvoices(client.stores.invoices)).filter(
    (s) =>
      s.chainId === client.chainId &&
      s.escrow.toLowerCase() === client.contracts.escrow.toLowerCase() &&
      (role === undefined || s.role === role),
  );
  return Promise.all(stored.map(async (s) => ({ ...s, ...(await readInvoiceState(client, s, now)) })));
}
