import type { Address } from "viem";
import type { InvoiceRecordStatus } from "../../protocol/invoice-state.ts";
import { invoiceKey, merchantInvoicePrefix, prefixEnd } from "./keys.ts";
import type { Store } from "./open-store.ts";
import { decodeInvoice, type InvoiceRecord, invoiceStatus } from "./records.ts";

export interface ReadMerchantInvoicesParameters {
  merchant: Address;
  limit: number;
  /** Continue strictly after (older than) this position: the `next` of the previous page. */
  after?: string | undefined;
  status?: InvoiceRecordStatus | undefined;
  /** Stop after reading this many invoices, matching or not. */
  maxScan?: number;
}

export interface ReadMerchantInvoicesReturnType {
  invoices: InvoiceRecord[];
  /** The position (`<block>:<logIndex>:<id>`) to continue after; undefined when nothing older is left. */
  next: string | undefined;
}

/** Where an invoice sits in a merchant's index: `<block:12>:<logIndex:6>:<id>`. */
export const MERCHANT_INVOICE_POSITION = /^\d{12}:\d{6}:0x[0-9a-f]{64}$/;

/**
 * A page of `merchant`'s invoices, newest payment first, optionally of one status: a reverse scan of
 * its `im:` index, then one `getMany` of the invoices per chunk.
 *
 * @example
 * const { invoices, next } = await readMerchantInvoices(store, { merchant, limit: 20, status: "paid" });
 */
export async function readMerchantInvoices(
  store: Store,
  { merchant, limit, after, status, maxScan = 10_000 }: ReadMerchantInvoicesParameters,
): Promise<ReadMerchantInvoicesReturnType> {
  const prefix = merchantInvoicePrefix(merchant.toLowerCase());
  const invoices: InvoiceRecord[] = [];
  const iterator = store.db.keys({
    gte: prefix,
    lt: after === undefined ? prefixEnd(prefix) : prefix + after,
    reverse: true,
  });
  let scanned = 0;
  let last: string | undefined;
  try {
    for (;;) {
      const want = Math.min(status === undefined ? limit - invoices.length : 256, maxScan - scanned);
      if (invoices.length === limit || want <= 0) return { invoices, next: last };
      const keys = await iterator.nextv(want);
      if (keys.length === 0) return { invoices, next: undefined };
      const positions = keys.map((key) => key.slice(prefix.length));
      const values = await store.db.getMany(positions.map((position) => invoiceKey(position.slice(20))));
      for (let i = 0; i < positions.length; i++) {
        scanned++;
        last = positions[i];
        const value = values[i];
        if (value === undefined) continue;
        const invoice = decodeInvoice(value);
        if (status !== undefined && invoiceStatus(invoice) !== status) continue;
        invoices.push(invoice);
        if (invoices.length === limit) return { invoices, next: last };
      }
    }
  } finally {
    await iterator.close();
  }
}
