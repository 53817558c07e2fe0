// Where a wallet keeps what is not on the chain, one small interface per store (docs/WALLET.md, "Storage:
// one interface per store"): files under `$GRAM_HOME` for the CLI (`fileWalletStores`), memory for tests
// (`memoryWalletStores`), IndexedDB in a page (`web/storage/`). The actions reach them through
// `client.stores`. This file runs anywhere.
import { type ContactsStore, memoryContactsStore } from "./contacts/contacts-book.ts";
import { type InvoiceStore, memoryInvoiceStore } from "./invoices/stored-invoices.ts";
import { memoryNonceStore, type NonceStore } from "./nonce/nonce-store.ts";

/** The stores the actions use (the chat state and the keys have their own, per hub and per account). */
export interface WalletStores {
  contacts: ContactsStore;
  invoices: InvoiceStore;
  nonces: NonceStore;
}

/** Every store in memory, over one map of records as stored (empty by default): a test, a demo that starts afresh. */
export function memoryWalletStores(records: Map<string, unknown> = new Map()): WalletStores {
  return {
    contacts: memoryContactsStore(records),
    invoices: memoryInvoiceStore(records),
    nonces: memoryNonceStore(records),
  };
}
