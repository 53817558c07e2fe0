// The wallet's stores in the page's IndexedDB ("gram", `gram-db.ts`), one account at a time: the same
// interfaces as the CLI's files (`wallet/wallet-stores.ts`, `wallet/chat/chat-state.ts`), the same checks on
// what is read back, and, where the CLI takes a file lock, a Web Lock (`web-lock.ts`) so that two tabs of
// one account never hand out the same nonce or invoice number.
import type { Address, Hex } from "viem";
import { type ChatStateStore, chatStateSchema, trim } from "../../wallet/chat/chat-state.ts";
import { ChatStateFileError } from "../../wallet/chat/errors.ts";
import { type ContactsStore, parseContacts, sortContacts } from "../../wallet/contacts/contacts-book.ts";
import { InvoiceNotFoundError } from "../../wallet/errors.ts";
import {
  type InvoiceStore,
  invoiceCounterName,
  parseInvoiceCounter,
  parseStoredInvoice,
  storedInvoiceToJson,
} from "../../wallet/invoices/stored-invoices.ts";
import { type NonceStore, nonceName, parseStoredNonce } from "../../wallet/nonce/nonce-store.ts";
import type { WalletStores } from "../../wallet/wallet-stores.ts";
import { accountKey, accountRange, type GramDatabase } from "./gram-db.ts";
import { withWebLock } from "./web-lock.ts";

/** How a damaged record is named in errors: `IndexedDB gram/<store>/<account>/<name>`. */
const where = (store: string, account: string, name: string) =>
  `IndexedDB gram/${store}/${account.toLowerCase()}/${name}`;

const RESET_HINT = "clear this site's data for the account in the browser's settings, or restore it from a backup";

/** The account's address book, one record. */
export function indexedDbContactsStore(db: GramDatabase, account: Address): ContactsStore {
  const key = accountKey(account, "contacts");
  return {
    async read() {
      const saved = await db.get("contacts", key);
      return saved === undefined ? {} : parseContacts(saved, where("contacts", account, "contacts"), RESET_HINT);
    },
    async write(contacts) {
      await db.put("contacts", sortContacts(contacts), key);
    },
  };
}

/** The account's invoices, one record per invoice; each merchant's counter under a Web Lock. */
export function indexedDbInvoiceStore(db: GramDatabase, account: Address): InvoiceStore {
  return {
    where: `IndexedDB gram/invoices/${account.toLowerCase()}`,
    async save(stored) {
      const id = stored.id.toLowerCase();
      await db.put("invoices", storedInvoiceToJson(stored), accountKey(account, id));
      return where("invoices", account, id);
    },
    async ids() {
      const keys = await db.getAllKeys("invoices", accountRange(account));
      return keys.map(([, id]) => id as Hex);
    },
    async read(id) {
      const name = id.toLowerCase();
      const saved = await db.get("invoices", accountKey(account, name));
      if (saved === undefined) throw new InvoiceNotFoundError(`no invoice ${id} in ${where("invoices", account, "")}`);
      return parseStoredInvoice(saved, where("invoices", account, name));
    },
    withCounter(counter, use) {
      const name = invoiceCounterName(counter);
      const key = accountKey(account, name);
      const at = where("counters", account, name);
      return withWebLock(`gram:counter:${account.toLowerCase()}:${name}`, () =>
        use({
          where: at,
          async read() {
            const saved = await db.get("counters", key);
            return saved === undefined ? undefined : parseInvoiceCounter(saved, at);
          },
          async write(next) {
            await db.put("counters", { next: next.toString() }, key);
          },
        }),
      );
    },
  };
}

/** The next nonces of the account's keys, each changed under a Web Lock held across the origin's tabs. */
export function indexedDbNonceStore(db: GramDatabase, account: Address): NonceStore {
  return {
    withNonce(nonceKey, use) {
      const name = nonceName(nonceKey);
      const key = accountKey(account, name);
      const at = where("nonces", account, name);
      return withWebLock(`gram:nonce:${name}`, () =>
        use({
          where: at,
          async read() {
            const saved = await db.get("nonces", key);
            return saved === undefined ? undefined : parseStoredNonce(saved, at, RESET_HINT);
          },
          async write(value) {
            await db.put("nonces", { ...nonceKey, ...value }, key);
          },
        }),
      );
    },
  };
}

/** The chat state of the account with one hub (seqs are numbered by each hub). */
export function indexedDbChatStateStore(
  db: GramDatabase,
  { account, chainId, url }: { account: Address; chainId: number; url: string },
): ChatStateStore {
  const name = `${chainId} ${url}`;
  const key = accountKey(account, name);
  return {
    async load() {
      const saved = await db.get("chat-state", key);
      if (saved === undefined) return undefined;
      const parsed = chatStateSchema.safeParse(saved);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ChatStateFileError(
          `${where("chat-state", account, name)}: ${issue?.path.join(".") || "state"}: ${issue?.message ?? "invalid"}`,
          { hint: "forget it: the next sync starts from what the hub last recorded as read" },
        );
      }
      return parsed.data;
    },
    async save(state) {
      await db.put("chat-state", trim(state), key);
    },
  };
}

/**
 * The stores the actions take (`client.stores`) for `account`, in the page's database.
 *
 * @example
 * const client = await createGramClient({ publicClient, walletClient, chainId, contracts, stores: indexedDbWalletStores(db, address) });
 */
export function indexedDbWalletStores(db: GramDatabase, account: Address): WalletStores {
  return {
    contacts: indexedDbContactsStore(db, account),
    invoices: indexedDbInvoiceStore(db, account),
    nonces: indexedDbNonceStore(db, account),
  };
}
