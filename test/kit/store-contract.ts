// One set of expectations for every implementation of the wallet's stores (memory, files, IndexedDB): the
// same cases run in Node (test/wallet/stores.test.ts) and in Chromium (test/web/storage/…), so this module
// uses no test framework and no Node module: a case throws when an expectation fails.
import type { Address, Hex } from "viem";
import { invoiceId } from "../../protocol/invoice.ts";
import { addContact } from "../../wallet/contacts/addContact.ts";
import { removeContact } from "../../wallet/contacts/removeContact.ts";
import { resolveRecipient } from "../../wallet/contacts/resolveRecipient.ts";
import { allocateInvoiceNonce } from "../../wallet/invoices/allocateInvoiceNonce.ts";
import {
  allInvoices,
  findInvoice,
  type InvoiceCounterKey,
  type StoredInvoice,
} from "../../wallet/invoices/stored-invoices.ts";
import type { NonceKey } from "../../wallet/nonce/nonce-store.ts";
import { withStoredNonce } from "../../wallet/nonce/withStoredNonce.ts";
import type { WalletStores } from "../../wallet/wallet-stores.ts";

/** The stores of one person, and a way to damage what they keep, as a bad disk or a hand edit would. */
export interface StoreHarness {
  stores: WalletStores;
  damage: {
    /** The address book holds something that is not one. */
    contacts(): Promise<void>;
    /** The invoice's record says another amount than the one its id hashes. */
    invoice(id: Hex): Promise<void>;
    /** The counter holds something that is not a number. */
    counter(key: InvoiceCounterKey): Promise<void>;
    /** The next nonce is not a number. */
    nonce(key: NonceKey): Promise<void>;
  };
}

export interface ContractCase {
  name: string;
  run(harness: StoreHarness): Promise<void>;
}

export const BOB: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const CAROL: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
export const MERCHANT: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const ESCROW: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKEN: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const COUNTER: InvoiceCounterKey = { chainId: 31337, escrow: ESCROW, merchant: MERCHANT };
export const NONCE: NonceKey = { chainId: 31337, address: MERCHANT };

/** A stored invoice for `amount`, created at `createdAt`: its id is its digest. */
export function sampleInvoice(amount: bigint, createdAt = "2026-12-03T10:00:00.000Z"): StoredInvoice {
  const invoice = {
    merchant: MERCHANT,
    token: TOKEN,
    amount,
    maxTip: 0n,
    cashbackBps: 0,
    payer: "0x0000000000000000000000000000000000000000" as Address,
    nonce: amount,
    payBefore: 2_000_000_000,
    captureBefore: 2_000_000_100,
    refundBefore: 2_000_000_200,
    ref: `0x${"00".repeat(32)}` as Hex,
    metadataHash: `0x${"11".repeat(32)}` as Hex,
  };
  return {
    id: invoiceId({ chainId: 31337, escrow: ESCROW, invoice }),
    chainId: 31337,
    escrow: ESCROW,
    invoice,
    merchantSignature: `0x${"ab".repeat(65)}`,
    metadata: { title: "Lunch", items: [{ name: "soup", quantity: "1", price: "5" }] },
    role: "merchant",
    createdAt,
  };
}

export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, bigints);
  const e = JSON.stringify(expected, bigints);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** `promise` rejects with the wallet error `code`, its message naming `mentions`. */
export async function expectRefused(promise: Promise<unknown>, code: string, mentions: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  const { code: got, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (got !== code || typeof message !== "string" || !message.includes(mentions)) {
    throw new Error(
      `expected ${code} mentioning '${mentions}', got ${error === undefined ? "success" : `${String(got)}: ${String(message)}`}`,
    );
  }
}

/** JSON with bigints marked and object keys sorted: equal values print the same, whatever their key order. */
const bigints = (_: string, value: unknown) => {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
};

/** Sends `count` transactions at once through `withStoredNonce`; the chain's count stays at `pending`. */
export async function sendAtOnce(stores: WalletStores, count: number, pending = 0): Promise<number[]> {
  const sends = Array.from({ length: count }, () =>
    withStoredNonce({ store: stores.nonces, ...NONCE, pendingNonce: async () => pending }, async (nonce) => {
      // Yield while holding the lock, as a real send waits on the RPC.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return nonce;
    }),
  );
  return (await Promise.all(sends)).map(({ nonce }) => nonce);
}

/** Allocates `count` invoice numbers at once; `used` were seen by the escrow. */
export async function allocateAtOnce(stores: WalletStores, count: number, used: bigint[] = []): Promise<bigint[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      allocateInvoiceNonce({
        store: stores.invoices,
        ...COUNTER,
        isUsed: async (n) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return used.includes(n);
        },
      }),
    ),
  );
}

export const STORE_CONTRACT: ContractCase[] = [
  {
    name: "the address book starts empty, keeps what is added, sorted, and forgets what is removed",
    async run({ stores }) {
      const { contacts } = stores;
      expectEqual(await contacts.read(), {}, "a new book");
      await addContact({ contacts, name: "@Carol", address: CAROL.toLowerCase() });
      await addContact({ contacts, name: "bob", address: BOB });
      expectEqual(await contacts.read(), { bob: BOB, carol: CAROL }, "after two adds");
      expectEqual((await resolveRecipient({ contacts, recipient: "@BOB" })).address, BOB, "@BOB resolved");
      await expectRefused(addContact({ contacts, name: "bob", address: CAROL }), "CONTACT_EXISTS", "@bob");
      await removeContact({ contacts, name: "carol" });
      expectEqual(await contacts.read(), { bob: BOB }, "after the remove");
      await expectRefused(resolveRecipient({ contacts, recipient: "@carol" }), "UNKNOWN_CONTACT", "@carol");
    },
  },
  {
    name: "a damaged address book is refused with CONTACTS_FILE_INVALID, not read as empty",
    async run({ stores, damage }) {
      await addContact({ contacts: stores.contacts, name: "bob", address: BOB });
      await damage.contacts();
      await expectRefused(stores.contacts.read(), "CONTACTS_FILE_INVALID", "contacts");
    },
  },
  {
    name: "invoices are kept by id, found by a unique prefix, listed newest first",
    async run({ stores }) {
      const { invoices } = stores;
      expectEqual(await allInvoices(invoices), [], "no invoices yet");
      const older = sampleInvoice(5n, "2026-12-01T00:00:00.000Z");
      const newer = sampleInvoice(7n, "2026-12-02T00:00:00.000Z");
      await invoices.save(older);
      await invoices.save(newer);
      expectEqual(await findInvoice(invoices, older.id.slice(0, 12)), older, "found by prefix");
      expectEqual(await findInvoice(invoices, newer.id.toUpperCase().replace("0X", "0x")), newer, "any case");
      expectEqual(
        (await allInvoices(invoices)).map((s) => s.id),
        [newer.id, older.id],
        "newest first",
      );
      await expectRefused(findInvoice(invoices, `0x${"f".repeat(64)}`), "INVOICE_NOT_FOUND", "no invoice");
    },
  },
  {
    name: "an invoice whose record no longer hashes to its id is refused with INVOICE_FILE_INVALID",
    async run({ stores, damage }) {
      const stored = sampleInvoice(5n);
      await stores.invoices.save(stored);
      await damage.invoice(stored.id);
      await expectRefused(findInvoice(stores.invoices, stored.id), "INVOICE_FILE_INVALID", "does not hash to its id");
    },
  },
  {
    name: "invoice numbers count up from 0, skip numbers the escrow saw used, and never repeat at once",
    async run({ stores }) {
      expectEqual(await allocateAtOnce(stores, 1, [0n, 1n]), [2n], "0 and 1 were used");
      const numbers = await allocateAtOnce(stores, 8);
      expectEqual(
        [...numbers].sort((a, b) => Number(a - b)),
        [3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n],
        "eight at once",
      );
    },
  },
  {
    name: "a damaged invoice counter is refused with INVOICE_FILE_INVALID, not restarted at 0",
    async run({ stores, damage }) {
      await allocateAtOnce(stores, 1);
      await damage.counter(COUNTER);
      await expectRefused(allocateAtOnce(stores, 1), "INVOICE_FILE_INVALID", "invoice number");
    },
  },
  {
    name: "nonces: max(chain, stored), recorded only when the send succeeds, never the same one twice at once",
    async run({ stores }) {
      expectEqual(await sendAtOnce(stores, 1, 4), [4], "from the chain's count");
      expectEqual(await sendAtOnce(stores, 1, 3), [5], "ahead of a lagging chain");
      let refused: unknown;
      await withStoredNonce({ store: stores.nonces, ...NONCE, pendingNonce: async () => 3 }, async () => {
        throw new Error("refused by the RPC");
      }).catch((error) => {
        refused = error;
      });
      expectEqual((refused as Error).message, "refused by the RPC", "the send's failure");
      const nonces = await sendAtOnce(stores, 8, 3);
      expectEqual(
        [...nonces].sort((a, b) => a - b),
        [6, 7, 8, 9, 10, 11, 12, 13],
        "eight at once, no gap",
      );
      const other = await withStoredNonce(
        { store: stores.nonces, chainId: 31337, address: BOB, pendingNonce: async () => 0 },
        async (nonce) => nonce,
      );
      expectEqual(other.nonce, 0, "another account's nonce is its own");
    },
  },
  {
    name: "a damaged nonce record is refused with NONCE_FILE_INVALID, not taken as 0",
    async run({ stores, damage }) {
      await sendAtOnce(stores, 1, 2);
      await damage.nonce(NONCE);
      await expectRefused(sendAtOnce(stores, 1, 0), "NONCE_FILE_INVALID", 'expected {"next": <nonce>');
    },
  },
];
