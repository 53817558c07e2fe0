// Bundled for the page by test/web/storage/indexed-db-stores.test.ts: the IndexedDB stores and the stores'
// contract, driven from the test through `window.gramStores`.
import type { Address } from "viem";
import { emptyChatState } from "../../../wallet/chat/chat-state.ts";
import { addContact } from "../../../wallet/contacts/addContact.ts";
import { allocateInvoiceNonce } from "../../../wallet/invoices/allocateInvoiceNonce.ts";
import { findInvoice, invoiceCounterName } from "../../../wallet/invoices/stored-invoices.ts";
import { nonceName } from "../../../wallet/nonce/nonce-store.ts";
import { withStoredNonce } from "../../../wallet/nonce/withStoredNonce.ts";
import { accountKey, openGramDb } from "../../../web/storage/gram-db.ts";
import { indexedDbChatStateStore, indexedDbWalletStores } from "../../../web/storage/indexed-db-stores.ts";
import { BOB, COUNTER, NONCE, STORE_CONTRACT, type StoreHarness, sampleInvoice } from "../../kit/store-contract.ts";

const db = openGramDb();

async function harness(account: Address): Promise<StoreHarness> {
  const open = await db;
  return {
    stores: indexedDbWalletStores(open, account),
    damage: {
      contacts: async () => void (await open.put("contacts", { bob: 42 }, accountKey(account, "contacts"))),
      invoice: async (id) => {
        const key = accountKey(account, id.toLowerCase());
        const record = (await open.get("invoices", key)) as { invoice: { amount: string } };
        await open.put("invoices", { ...record, invoice: { ...record.invoice, amount: "6" } }, key);
      },
      counter: async (key) =>
        void (await open.put("counters", { next: "seven" }, accountKey(account, invoiceCounterName(key)))),
      nonce: async (key) =>
        void (await open.put("nonces", { next: "seven", updatedAt: 0 }, accountKey(account, nonceName(key)))),
    },
  };
}

const failure = (error: unknown) => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === "string" ? code : undefined, message: String(message) };
};

const api = {
  cases: () => STORE_CONTRACT.map(({ name }) => name),
  /** Runs one case of the contract against a fresh account's stores; undefined when it held. */
  async runCase(name: string, account: Address) {
    const found = STORE_CONTRACT.find((c) => c.name === name);
    if (found === undefined) return `no case ${name}`;
    try {
      await found.run(await harness(account));
      return undefined;
    } catch (error) {
      return String((error as Error).stack ?? error);
    }
  },
  /** Allocates `count` invoice numbers at once in this tab. */
  async allocate(account: Address, count: number) {
    const { stores } = await harness(account);
    const numbers = await Promise.all(
      Array.from({ length: count }, () =>
        allocateInvoiceNonce({
          store: stores.invoices,
          ...COUNTER,
          isUsed: async () => {
            await new Promise((resolve) => setTimeout(resolve, 2));
            return false;
          },
        }),
      ),
    );
    return numbers.map(String);
  },
  /** Sends `count` transactions at once in this tab; the chain's count stays at 0. */
  async send(account: Address, count: number) {
    const { stores } = await harness(account);
    const sent = await Promise.all(
      Array.from({ length: count }, () =>
        withStoredNonce({ store: stores.nonces, ...NONCE, pendingNonce: async () => 0 }, async (nonce) => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return nonce;
        }),
      ),
    );
    return sent.map(({ nonce }) => nonce);
  },
  /** Writes a contact, an invoice, a nonce and a chat state for `account`. */
  async fill(account: Address) {
    const { stores } = await harness(account);
    await addContact({ contacts: stores.contacts, name: "bob", address: BOB });
    await stores.invoices.save(sampleInvoice(5n));
    await withStoredNonce({ store: stores.nonces, ...NONCE, pendingNonce: async () => 7 }, async () => "sent");
    await indexedDbChatStateStore(await db, { account, chainId: 31337, url: "ws://hub" }).save({
      ...emptyChatState(),
      lastSeq: 12,
    });
  },
  /** What `fill` wrote, as this page reads it back. */
  async look(account: Address) {
    const { stores } = await harness(account);
    const chat = await indexedDbChatStateStore(await db, { account, chainId: 31337, url: "ws://hub" }).load();
    const invoice = await findInvoice(stores.invoices, sampleInvoice(5n).id).then(
      (stored) => stored.invoice.amount.toString(),
      (error) => failure(error).code,
    );
    const next = await stores.nonces.withNonce(NONCE, (slot) => slot.read());
    return { contacts: await stores.contacts.read(), invoice, next: next?.next, lastSeq: chat?.lastSeq };
  },
  /** Damages the chat state and loads it. */
  async damagedChatState(account: Address) {
    const open = await db;
    const store = indexedDbChatStateStore(open, { account, chainId: 31337, url: "ws://hub" });
    await open.put("chat-state", { version: 1, lastSeq: -3 }, accountKey(account, "31337 ws://hub"));
    return store.load().then(() => undefined, failure);
  },
};

declare global {
  interface Window {
    gramStores: typeof api;
  }
}
window.gramStores = api;
