// The invoices in files, for the CLI and the Node scripts: `$GRAM_HOME/invoices/<id>.json` (mode 0600: what
// one sells and buys is private) and each merchant's counter in `invoices/counters/`, under a file lock.
// The one part of the invoices that needs a file system; the rules and the interface are in
// `stored-invoices.ts`.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { InvoiceFileError } from "../errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { withFileLock } from "../internal/withFileLock.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import {
  allInvoices,
  findInvoice,
  type InvoiceStore,
  invoiceCounterName,
  parseInvoiceCounter,
  parseStoredInvoice,
  type StoredInvoice,
  storedInvoiceToJson,
} from "./stored-invoices.ts";

export { invoiceToJson, type StoredInvoice } from "./stored-invoices.ts";

export function invoicesDir(home: string): string {
  return join(home, "invoices");
}

export function invoiceFile(home: string, id: Hex): string {
  return join(invoicesDir(home), `${id.toLowerCase()}.json`);
}

/** `$GRAM_HOME/invoices/counters/<chainId>-<escrow>-<merchant>.json`. */
export function invoiceCounterFile(home: string, chainId: number, escrow: Address, merchant: Address): string {
  return join(invoicesDir(home), "counters", `${invoiceCounterName({ chainId, escrow, merchant })}.json`);
}

/**
 * The invoices in `$GRAM_HOME/invoices/`: one JSON file per invoice, written atomically, mode 0600; a
 * merchant's counter in `counters/`, changed under its lock file (`withFileLock`) by one process at a time.
 *
 * @example
 * const stored = await findInvoice(fileInvoiceStore(home), "0x3f2a9c");
 */
export function fileInvoiceStore(home: string): InvoiceStore {
  const dir = invoicesDir(home);
  return {
    where: dir,
    async save(stored) {
      const file = invoiceFile(home, stored.id);
      const data = `${JSON.stringify(storedInvoiceToJson(stored), null, 2)}\n`;
      await writeFileAtomic({ file, data, mode: 0o600, dirMode: 0o700 });
      return file;
    },
    async ids() {
      try {
        return (await readdir(dir))
          .filter((name) => /^0x[0-9a-f]{64}\.json$/.test(name))
          .map((name) => name.slice(0, -".json".length) as Hex);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    },
    async read(id) {
      const file = invoiceFile(home, id);
      const text = await readBoundedFile(file, FILE_BOUNDS.invoice);
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new InvoiceFileError(`${file}: not valid JSON`);
      }
      return parseStoredInvoice(data, file);
    },
    withCounter({ chainId, escrow, merchant }, use) {
      const file = invoiceCounterFile(home, chainId, escrow, merchant);
      return withFileLock({ file: `${file}.lock` }, () =>
        use({
          where: file,
          async read() {
            const text = await readFileIfExists(file, FILE_BOUNDS.invoiceCounter);
            if (text === undefined) return undefined;
            let data: unknown;
            try {
              data = JSON.parse(text);
            } catch {}
            return parseInvoiceCounter(data, file);
          },
          async write(next) {
            const data = `${JSON.stringify({ next: next.toString() })}\n`;
            await writeFileAtomic({ file, data, mode: 0o600, dirMode: 0o700 });
          },
        }),
      );
    },
  };
}

/** Writes `$GRAM_HOME/invoices/<id>.json` (0600: what one sells and buys is private). */
export async function saveInvoice(home: string, stored: StoredInvoice): Promise<string> {
  return fileInvoiceStore(home).save(stored);
}

/**
 * Reads one stored invoice by id (or a unique prefix of at least 6 hex digits, as `git` takes hashes).
 *
 * @example
 * const { invoice, merchantSignature } = await readInvoice(home, "0x3f2a9c");
 */
export async function readInvoice(home: string, id: string): Promise<StoredInvoice> {
  return findInvoice(fileInvoiceStore(home), id);
}

/** Every stored invoice, newest first. */
export async function readAllInvoices(home: string): Promise<StoredInvoice[]> {
  return allInvoices(fileInvoiceStore(home));
}
