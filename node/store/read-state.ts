import type { Address } from "viem";
import { balanceKey, creditKey, escrowBalanceKey, eventsKey, feesKey, invoiceKey } from "./keys.ts";
import type { Store } from "./open-store.ts";
import { decodeInvoice, type InvoiceRecord } from "./records.ts";

const lower = (address: string) => address.toLowerCase();
const amount = (value: string | undefined) => (value === undefined ? 0n : BigInt(value));

/** `account`'s indexed balance of `token`. */
export async function readBalance(store: Store, token: Address, account: Address): Promise<bigint> {
  return amount(await store.db.get(balanceKey(lower(token), lower(account))));
}

/** `merchant`'s indexed balance of `token` held in the escrow. */
export async function readEscrowBalance(store: Store, merchant: Address, token: Address): Promise<bigint> {
  return amount(await store.db.get(escrowBalanceKey(lower(merchant), lower(token))));
}

/** Withdrawal fees in `token` accrued in the escrow and not collected yet. */
export async function readFees(store: Store, token: Address): Promise<bigint> {
  return amount(await store.db.get(feesKey(lower(token))));
}

/** What `account` may claim in `token` from the escrow: payments to it that the escrow could not send. */
export async function readCredit(store: Store, account: Address, token: Address): Promise<bigint> {
  return amount(await store.db.get(creditKey(lower(account), lower(token))));
}

export async function readInvoice(store: Store, id: string): Promise<InvoiceRecord | undefined> {
  const value = await store.db.get(invoiceKey(lower(id)));
  return value === undefined ? undefined : decodeInvoice(value);
}

/** How many events the store has applied. */
export async function readEventCount(store: Store): Promise<number> {
  return Number(amount(await store.db.get(eventsKey)));
}
