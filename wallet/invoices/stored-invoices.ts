// The invoices a wallet keeps (those it created as a merchant, those it paid) and each merchant's next
// invoice number, and where they are kept: an `InvoiceStore` is files for the CLI (`invoice-store.ts`,
// `$GRAM_HOME/invoices/`), memory for tests (`memoryInvoiceStore`), IndexedDB in a page (`web/storage/`).
// This file runs anywhere.
import { type Address, getAddress, type Hex, isHex } from "viem";
import { z } from "zod";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import { invoiceJsonSchema } from "../../protocol/relay.ts";
import { InvoiceFileError, InvoiceNotFoundError } from "../errors.ts";
import { type LockedSlot, memoryLocks } from "../internal/locked-slot.ts";

/** An invoice as the wallet keeps it: what was signed, the signature, and what the payer was shown. */
export interface StoredInvoice {
  id: Hex;
  chainId: number;
  escrow: Address;
  invoice: Invoice;
  merchantSignature: Hex;
  /** The title, items and memo that `invoice.metadataHash` commits to. */
  metadata: { title: string; items: { name: string; quantity: string; price: string }[]; memo?: string } | undefined;
  /** Whether this wallet created it (merchant) or paid it (payer). */
  role: "merchant" | "payer";
  /** ISO time it was stored. */
  createdAt: string;
}

/** Whose invoice numbers a counter hands out: one merchant on one escrow. */
export interface InvoiceCounterKey {
  chainId: number;
  escrow: Address;
  merchant: Address;
}

/** Where one wallet's invoices live. */
export interface InvoiceStore {
  /** Where they are, for messages ("no invoice 0x… in <where>"). */
  where: string;
  /** Keeps `stored` under its id (a second save replaces it); returns where it went (a file's path, a key). */
  save(stored: StoredInvoice): Promise<string>;
  /** The ids kept, lower case. */
  ids(): Promise<Hex[]>;
  /** One invoice by its full id, checked (`parseStoredInvoice`); throws `InvoiceFileError` when damaged. */
  read(id: Hex): Promise<StoredInvoice>;
  /**
   * Runs `use` holding the merchant's counter (the next invoice number), alone: across processes for files,
   * across tabs in a page. A damaged counter is an `InvoiceFileError` from `read`.
   */
  withCounter<T>(key: InvoiceCounterKey, use: (next: LockedSlot<bigint>) => Promise<T>): Promise<T>;
}

const storedSchema = z.object({
  id: z.string().regex(/^0x[0-9a-f]{64}$/),
  chainId: z.number().int().positive(),
  escrow: z.string(),
  invoice: invoiceJsonSchema,
  merchantSignature: z.string().refine((value) => isHex(value)),
  metadata: z
    .object({
      title: z.string(),
      items: z.array(z.object({ name: z.string(), quantity: z.string(), price: z.string() })),
      memo: z.string().optional(),
    })
    .optional(),
  role: z.enum(["merchant", "payer"]),
  createdAt: z.string(),
});

/** The invoice as JSON: bigints as decimal strings, as `invoiceJsonSchema` reads them. */
export function invoiceToJson(invoice: Invoice) {
  return {
    ...invoice,
    amount: invoice.amount.toString(),
    maxTip: invoice.maxTip.toString(),
    nonce: invoice.nonce.toString(),
  };
}

/** A stored invoice as JSON, as a store keeps it (the file's contents). */
export function storedInvoiceToJson(stored: StoredInvoice) {
  const { metadata, ...rest } = stored;
  return { ...rest, invoice: invoiceToJson(stored.invoice), ...(metadata ? { metadata } : {}) };
}

/** Checks an invoice read back from a store, down to its id being its digest. `where` names it in errors. */
export function parseStoredInvoice(data: unknown, where: string): StoredInvoice {
  const result = storedSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvoiceFileError(`${where}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const { metadata, ...rest } = result.data;
  const stored: StoredInvoice = {
    ...rest,
    id: rest.id as Hex,
    escrow: getAddress(rest.escrow),
    invoice: { ...rest.invoice, ref: rest.invoice.ref as Hex, metadataHash: rest.invoice.metadataHash as Hex },
    merchantSignature: rest.merchantSignature as Hex,
    metadata:
      metadata === undefined
        ? undefined
        : {
            title: metadata.title,
            items: metadata.items,
            ...(metadata.memo === undefined ? {} : { memo: metadata.memo }),
          },
  };
  // The id is the invoice's digest: a record whose id does not match was edited.
  if (invoiceId({ chainId: stored.chainId, escrow: stored.escrow, invoice: stored.invoice }) !== stored.id) {
    throw new InvoiceFileError(`${where}: the invoice does not hash to its id; the file was changed`);
  }
  return stored;
}

/** Checks a counter read back from a store: `{"next": "<invoice number>"}`. */
export function parseInvoiceCounter(data: unknown, where: string): bigint {
  const next = typeof data === "object" && data !== null ? (data as { next?: unknown }).next : undefined;
  if (typeof next !== "string" || !/^(0|[1-9][0-9]{0,76})$/.test(next)) {
    throw new InvoiceFileError(`${where}: expected {"next": "<invoice number>"}`, {
      hint: "remove it only if you know no unpaid invoice link is out: numbers would be handed out again",
    });
  }
  return BigInt(next);
}

/**
 * One stored invoice by id, or by a unique prefix of at least 6 hex digits (as `git` takes hashes).
 *
 * @example
 * const { invoice, merchantSignature } = await findInvoice(store, "0x3f2a9c");
 */
export async function findInvoice(store: InvoiceStore, id: string): Promise<StoredInvoice> {
  const wanted = id.toLowerCase();
  if (!/^0x[0-9a-f]{6,64}$/.test(wanted)) {
    throw new InvoiceNotFoundError(`'${id.slice(0, 70)}' is not an invoice id; expected 0x and 6 to 64 hex digits`);
  }
  const matches = (await store.ids()).filter((stored) => stored.startsWith(wanted));
  if (matches.length === 0) {
    throw new InvoiceNotFoundError(`no invoice ${id} in ${store.where}`, { hint: "`gram invoice list` shows them" });
  }
  if (matches.length > 1) {
    throw new InvoiceNotFoundError(`${id} matches ${matches.length} invoices; give more digits`);
  }
  return store.read(matches[0] as Hex);
}

/** Every stored invoice, newest first. */
export async function allInvoices(store: InvoiceStore): Promise<StoredInvoice[]> {
  const all = await Promise.all((await store.ids()).map((id) => store.read(id)));
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The key of a merchant's counter: `<chainId>-<escrow>-<merchant>`, lower case (the file's name). */
export function invoiceCounterName({ chainId, escrow, merchant }: InvoiceCounterKey): string {
  return `${chainId}-${escrow.toLowerCase()}-${merchant.toLowerCase()}`;
}

/**
 * Keeps invoices in memory only (one process): a test, a demo. `records` holds them as stored (keys
 * `invoice:<id>` and `counter:<chainId>-<escrow>-<merchant>`), checked on each read as a file would be.
 */
export function memoryInvoiceStore(records: Map<string, unknown> = new Map()): InvoiceStore {
  const lock = memoryLocks();
  return {
    where: "memory",
    async save(stored) {
      const id = stored.id.toLowerCase() as Hex;
      records.set(`invoice:${id}`, structuredClone(storedInvoiceToJson(stored)));
      return id;
    },
    ids: async () => [...records.keys()].filter((key) => key.startsWith("invoice:")).map((key) => key.slice(8) as Hex),
    async read(id) {
      const data = records.get(`invoice:${id.toLowerCase()}`);
      if (data === undefined) throw new InvoiceNotFoundError(`no invoice ${id} in memory`);
      return parseStoredInvoice(structuredClone(data), `memory invoice ${id}`);
    },
    withCounter(key, use) {
      const name = invoiceCounterName(key);
      return lock(name, () =>
        use({
          where: `memory counter ${name}`,
          read: async () => {
            const data = records.get(`counter:${name}`);
            return data === undefined ? undefined : parseInvoiceCounter(data, `memory counter ${name}`);
          },
          write: async (next) => {
            records.set(`counter:${name}`, { next: next.toString() });
          },
        }),
      );
    },
  };
}
