import { join } from "node:path";
import type { Address } from "viem";
import { InvoiceFileError } from "../errors.ts";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { withFileLock } from "../internal/withFileLock.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { invoicesDir } from "./invoice-store.ts";

export interface AllocateInvoiceNonceParameters {
  home: string;
  chainId: number;
  escrow: Address;
  merchant: Address;
  /** Whether the escrow has seen the number paid or canceled (`isInvoiceUsed`). */
  isUsed: (nonce: bigint) => Promise<boolean>;
}

/** `$GRAM_HOME/invoices/counters/<chainId>-<escrow>-<merchant>.json`. */
export function invoiceCounterFile(home: string, chainId: number, escrow: Address, merchant: Address): string {
  return join(invoicesDir(home), "counters", `${chainId}-${escrow.toLowerCase()}-${merchant.toLowerCase()}.json`);
}

/**
 * The merchant's next invoice number, and records the one after it. Sequential, because the escrow keeps
 * spent numbers in a bitmap of 256 per storage word (README, "Decisions"): random numbers would cost a
 * storage word per payment. Numbers the escrow already saw used (a wallet restored from its mnemonic on
 * another machine starts at 0) are skipped.
 *
 * @example
 * const nonce = await allocateInvoiceNonce({ home, chainId, escrow, merchant, isUsed });
 */
export async function allocateInvoiceNonce({
  home,
  chainId,
  escrow,
  merchant,
  isUsed,
}: AllocateInvoiceNonceParameters): Promise<bigint> {
  const file = invoiceCounterFile(home, chainId, escrow, merchant);
  return withFileLock({ file: `${file}.lock` }, async () => {
    let nonce = await readCounter(file);
    while (await isUsed(nonce)) nonce += 1n;
    await writeFileAtomic({
      file,
      data: `${JSON.stringify({ next: (nonce + 1n).toString() })}\n`,
      mode: 0o600,
      dirMode: 0o700,
    });
    return nonce;
  });
}

async function readCounter(file: string): Promise<bigint> {
  const text = await readFileIfExists(file, FILE_BOUNDS.invoiceCounter);
  if (text === undefined) return 0n;
  let next: unknown;
  try {
    next = (JSON.parse(text) as { next?: unknown }).next;
  } catch {}
  if (typeof next !== "string" || !/^(0|[1-9][0-9]{0,76})$/.test(next)) {
    throw new InvoiceFileError(`${file}: expected {"next": "<invoice number>"}`, {
      hint: "remove it only if you know no unpaid invoice link is out: numbers would be handed out again",
    });
  }
  return BigInt(next);
}
