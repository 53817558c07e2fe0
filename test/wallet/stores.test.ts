// The stores' contract (test/kit/store-contract.ts) against the memory and the file implementations; the
// IndexedDB ones run the same cases in Chromium (test/web/storage/indexed-db-stores.test.ts).
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { fileWalletStores } from "../../wallet/fileWalletStores.ts";
import { contactsFile } from "../../wallet/home.ts";
import { invoiceCounterFile, invoiceFile } from "../../wallet/invoices/invoice-store.ts";
import { invoiceCounterName } from "../../wallet/invoices/stored-invoices.ts";
import { fileKeystoreStore } from "../../wallet/keys/fileKeystoreStore.ts";
import { importPrivateKey } from "../../wallet/keys/importPrivateKey.ts";
import { memoryKeystoreStore } from "../../wallet/keys/keystore-store.ts";
import { listAccounts } from "../../wallet/keys/listAccounts.ts";
import { readKeystore } from "../../wallet/keys/readKeystore.ts";
import { writeKeystore } from "../../wallet/keys/writeKeystore.ts";
import { nonceFile } from "../../wallet/nonce/fileNonceStore.ts";
import { nonceName } from "../../wallet/nonce/nonce-store.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";
import { KEY_0 } from "../kit/accounts.ts";
import { FAST_SCRYPT_N, PASSWORD } from "../kit/constants.ts";
import { BOB, MERCHANT, STORE_CONTRACT, type StoreHarness } from "../kit/store-contract.ts";
import { tempHome } from "../kit/wallet-helpers.ts";

function memoryHarness(): StoreHarness {
  const records = new Map<string, unknown>();
  return {
    stores: memoryWalletStores(records),
    damage: {
      contacts: async () => void records.set("contacts", { bob: 42 }),
      invoice: async (id) => {
        const record = records.get(`invoice:${id}`) as { invoice: { amount: string } };
        record.invoice.amount = "6";
      },
      counter: async (key) => void records.set(`counter:${invoiceCounterName(key)}`, { next: "seven" }),
      nonce: async (key) => void records.set(`nonce:${nonceName(key)}`, { next: "seven", updatedAt: Date.now() }),
    },
  };
}

async function fileHarness(): Promise<StoreHarness> {
  const home = await tempHome();
  return {
    stores: fileWalletStores(home),
    damage: {
      contacts: () => writeFile(contactsFile(home), '{ "bob": 42 }\n'),
      invoice: async (id) => {
        const file = invoiceFile(home, id);
        await writeFile(file, (await readFile(file, "utf8")).replace('"amount": "5"', '"amount": "6"'));
      },
      counter: (key) =>
        writeFile(invoiceCounterFile(home, key.chainId, key.escrow, key.merchant), '{"next":"seven"}\n'),
      nonce: (key) => writeFile(nonceFile(home, key.chainId, key.address), '{"next":"seven","updatedAt":0}\n'),
    },
  };
}

describe.each([
  ["memory", async () => memoryHarness()],
  ["files", fileHarness],
] as const)("the %s stores", (_, harness) => {
  it.each(STORE_CONTRACT)("$name", async ({ run }) => run(await harness()));
});

describe.each([
  ["memory", async () => memoryKeystoreStore()],
  ["files", async () => fileKeystoreStore(await tempHome())],
] as const)("the %s keystores", (_, open) => {
  it("keep a written keystore, list it, find it by address and refuse a second one", async () => {
    const keystores = await open();
    const account = importPrivateKey({ privateKey: KEY_0 });
    const { address, file } = await writeKeystore({ keystores, account, password: PASSWORD, scryptN: FAST_SCRYPT_N });
    expect(address).toBe(MERCHANT);
    expect((await listAccounts({ keystores })).accounts.map((a) => [a.address, a.file])).toEqual([[address, file]]);
    const { keystore, warnings } = await readKeystore({ keystores, address });
    expect([keystore.address, warnings]).toEqual([address, []]);
    const again = writeKeystore({ keystores, account, password: PASSWORD, scryptN: FAST_SCRYPT_N });
    await expect(again).rejects.toMatchObject({ code: "KEYSTORE_EXISTS" });
    await expect(readKeystore({ keystores, address: BOB })).rejects.toMatchObject({ code: "KEYSTORE_NOT_FOUND" });
  });
});
