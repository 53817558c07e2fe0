import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type Address, getAddress, type Hex, isHex } from "viem";
import { z } from "zod";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import { invoiceJsonSchema } from "../../protocol/relay.ts";
import { InvoiceFileError, InvoiceNotFoundError } from "../errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";

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

export function invoicesDir(home: string): string {
  return join(home, "invoices");
}

export function invoiceFile(home: string, id: Hex): string {
  return join(invoicesDir(home), `${id.toLowerCase()}.json`);
}

/** The invoice as JSON: bigints as decimal strings, as `invoiceJsonSchema` reads them. */
export function invoiceToJson(invoice: Invoice) {
  return {
    ...invoice,
    amount: invoice.amount.toString(),
    maxTip: invoice.maxTip.toString(),
    nonce: invoice.nonce.toString(),
  };
}

/** Writes `$GRAM_HOME/invoices/<id>.json` (0600: what one sells and buys is private). */
export async function saveInvoice(home: string, stored: StoredInvoice): Promise<string> {
  const file = invoiceFile(home, stored.id);
  const { metadata, ...rest } = stored;
  const json = { ...rest, invoice: invoiceToJson(stored.invoice), ...(metadata ? { metadata } : {}) };
  await writeFileAtomic({ file, data: `${JSON.stringify(json, null, 2)}\n`, mode: 0o600, dirMode: 0o700 });
  return file;
}

/**
 * Reads one stored invoice by id (or a unique prefix of at least 6 hex digits, as `git` takes hashes).
 *
 * @example
 * const { invoice, merchantSignature } = await readInvoice(home, "0x3f2a9c");
 */
export async function readInvoice(home: string, id: string): Promise<StoredInvoice> {
  const wanted = id.toLowerCase();
  if (!/^0x[0-9a-f]{6,64}$/.test(wanted)) {
    throw new InvoiceNotFoundError(`'${id.slice(0, 70)}' is not an invoice id; expected 0x and 6 to 64 hex digits`);
  }
  const names = await listFiles(home);
  const matches = names.filter((name) => name.startsWith(wanted));
  if (matches.length === 0) {
    throw new InvoiceNotFoundError(`no invoice ${id} in ${invoicesDir(home)}`, {
      hint: "`gram invoice list` shows them",
    });
  }
  if (matches.length > 1) {
    throw new InvoiceNotFoundError(`${id} matches ${matches.length} invoices; give more digits`);
  }
  return readFileOf(join(invoicesDir(home), matches[0] as string));
}

/** Every stored invoice, newest first. */
export async function readAllInvoices(home: string): Promise<StoredInvoice[]> {
  const names = await listFiles(home);
  const all = await Promise.all(names.map((name) => readFileOf(join(invoicesDir(home), name))));
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

async function listFiles(home: string): Promise<string[]> {
  try {
    return (await readdir(invoicesDir(home))).filter((name) => /^0x[0-9a-f]{64}\.json$/.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function readFileOf(file: string): Promise<StoredInvoice> {
  const text = await readBoundedFile(file, FILE_BOUNDS.invoice);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InvoiceFileError(`${file}: not valid JSON`);
  }
  const result = storedSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvoiceFileError(`${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
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
  // The id is the invoice's digest: a file whose id does not match was edited.
  if (invoiceId({ chainId: stored.chainId, escrow: stored.escrow, invoice: stored.invoice }) !== stored.id) {
    throw new InvoiceFileError(`${file}: the invoice does not hash to its id; the file was changed`);
  }
  return stored;
}
