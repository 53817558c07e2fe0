import { fileContactsStore } from "./contacts/contacts-store.ts";
import { fileInvoiceStore } from "./invoices/invoice-store.ts";
import { fileNonceStore } from "./nonce/fileNonceStore.ts";
import type { WalletStores } from "./wallet-stores.ts";

/**
 * The CLI's stores: files under `home` (`$GRAM_HOME`): `contacts.json`, `invoices/`, `nonces/`.
 *
 * @example
 * const client = await createGramClient({ publicClient, walletClient, chainId, contracts, stores: fileWalletStores(home) });
 */
export function fileWalletStores(home: string): WalletStores {
  return { contacts: fileContactsStore(home), invoices: fileInvoiceStore(home), nonces: fileNonceStore(home) };
}
