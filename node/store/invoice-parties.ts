import type { Hex } from "viem";
import type { Store } from "./open-store.ts";
import { readInvoice } from "./read-state.ts";

/** At most this many invoices are remembered; past it the oldest is forgotten. */
const MAX_REMEMBERED_INVOICES = 100_000;

export interface InvoiceParties {
  merchant: Hex;
  payer: Hex;
}

/**
 * Merchant and payer of invoices, for events that name an invoice only by its id: those seen paid are
 * remembered (`remember`), any other is read from the indexer's `store` when there is one.
 */
export function createInvoiceParties(store: Store | undefined) {
  const known = new Map<string, InvoiceParties>();
  return {
    remember(id: Hex, parties: InvoiceParties) {
      known.set(id, parties);
      if (known.size > MAX_REMEMBERED_INVOICES) known.delete(known.keys().next().value as string);
    },
    async of(id: Hex): Promise<InvoiceParties | undefined> {
      const found = known.get(id);
      if (found !== undefined || store === undefined) return found;
      const record = await readInvoice(store, id);
      return record === undefined ? undefined : { merchant: record.merchant, payer: record.payer };
    },
  };
}
