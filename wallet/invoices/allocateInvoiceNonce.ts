import type { Address } from "viem";
import type { InvoiceStore } from "./stored-invoices.ts";

export interface AllocateInvoiceNonceParameters {
  /** Where the merchant's counter is kept (`client.stores.invoices`; `fileInvoiceStore(home)` for the CLI). */
  store: InvoiceStore;
  chainId: number;
  escrow: Address;
  merchant: Address;
  /** Whether the escrow has seen the number paid or canceled (`isInvoiceUsed`). */
  isUsed: (nonce: bigint) => Promise<boolean>;
}

/**
 * The merchant's next invoice number, and records the one after it, holding the counter's lock (a file
 * lock across processes, a Web Lock across a browser's tabs). Sequential, because the escrow keeps spent
 * numbers in a bitmap of 256 per storage word (README, "Decisions"): random numbers would cost a storage
 * word per payment. Numbers the escrow already saw used (a wallet restored from its mnemonic on another
 * machine starts at 0) are skipped.
 *
 * @example
 * const nonce = await allocateInvoiceNonce({ store: client.stores.invoices, chainId, escrow, merchant, isUsed });
 */
export async function allocateInvoiceNonce({
  store,
  chainId,
  escrow,
  merchant,
  isUsed,
}: AllocateInvoiceNonceParameters): Promise<bigint> {
  return store.withCounter({ chainId, escrow, merchant }, async (counter) => {
    let nonce = (await counter.read()) ?? 0n;
    while (await isUsed(nonce)) nonce += 1n;
    await counter.write(nonce + 1n);
    return nonce;
  });
}
