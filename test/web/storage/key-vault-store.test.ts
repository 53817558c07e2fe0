// The key vault in the real browser: the vault library over its IndexedDB store, in Debian's Chromium, on
// a page served under a strict CSP. Create, unlock and sign; reload (the vault stays, locked); a wrong
// password; auto-lock; no secret in web storage, cookies, the URL, the console or any request; and two
// people's contexts that do not share a vault.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, prepareDemoWallet } from "../../../scripts/lib/demo-wallet.ts";
import { keystoreDir } from "../../../wallet/home.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { ACCOUNT_0, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { launchBrowser } from "../../kit/browser.ts";
import { bundleForBrowser, type ServedBundle, serveBundle } from "../../kit/browser-bundle.ts";
import { tempHome } from "../../kit/wallet-helpers.ts";
import type { VaultPage } from "./key-vault-page.ts";

declare const vault: VaultPage;

const PASSWORD = "browser-test-password-7c1";

let browser: Browser;
let bundle: ServedBundle;

beforeAll(async () => {
  [browser, bundle] = await Promise.all([
    launchBrowser(),
    bundleForBrowser({ vault: "test/web/storage/key-vault-page.ts" }).then((built) => serveBundle(built, ["vault"])),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await bundle?.close();
});

/** A page of a fresh context, with every console message and request it makes recorded. */
async function openPage(context?: BrowserContext) {
  const own = context ?? (await browser.newContext());
  const page = await own.newPage();
  const seen: string[] = [];
  page.on("console", (message) => seen.push(`console: ${message.text()}`));
  page.on("pageerror", (error) => seen.push(`pageerror: ${error.message}`));
  own.on("request", (request) => seen.push(`request: ${request.url()} ${request.postData() ?? ""}`));
  await load(page);
  return { context: own, page, seen };
}

async function load(page: Page) {
  await page.goto(bundle.url);
  await page.waitForFunction(() => "vault" in window);
}

describe("the key vault in Chromium", () => {
  it("creates a phrase account, unlocks it and signs a message that recovers to its address", async () => {
    const { context, page } = await openPage();
    const result = await page.evaluate(async (password) => {
      const mnemonic = vault.createMnemonic();
      const { address } = await vault.addAccount(vault.store, { password, source: { type: "mnemonic", mnemonic } });
      const session = await vault.unlockVault(vault.store, { password });
      const signature = await session.account(address).signMessage({ message: "gram" });
      return { address, recovered: await vault.recoverMessageAddress({ message: "gram", signature }) };
    }, PASSWORD);
    expect(result.recovered).toBe(result.address);
    await context.close();
  });

  it("keeps the vault across a reload and comes back locked; a wrong password is refused", async () => {
    const { context, page } = await openPage();
    await page.evaluate(
      async ({ password, mnemonic }) => {
        await vault.addAccount(vault.store, { password, source: { type: "mnemonic", mnemonic } });
        vault.session = await vault.unlockVault(vault.store, { password });
      },
      { password: PASSWORD, mnemonic: TEST_MNEMONIC },
    );
    await page.reload();
    await page.waitForFunction(() => "vault" in window);
    const after = await page.evaluate(async () => ({
      session: vault.session === undefined,
      accounts: (await vault.listVaultAccounts(vault.store)).map((account) => account.address),
    }));
    expect(after).toEqual({ session: true, accounts: [ACCOUNT_0] });
    const wrong = await page.evaluate(() =>
      vault.unlockVault(vault.store, { password: "not it" }).then(
        () => "unlocked",
        (error: { code: string; message: string }) => `${error.code}: ${error.message}`,
      ),
    );
    expect(wrong).toBe(
      "WRONG_PASSWORD: wrong password\nDetails: the vault does not open with this password\nHint: check the password and try again",
    );
    const reopened = await page.evaluate(
      async (password) => (await vault.unlockVault(vault.store, { password })).accounts.map((a) => a.address),
      PASSWORD,
    );
    expect(reopened).toEqual([ACCOUNT_0]);
    await context.close();
  });

  it("locks itself after the idle time: the account it gave stops signing", async () => {
    const { context, page } = await openPage();
    const outcome = await page.evaluate(
      async ({ password, privateKey }) => {
        const { address } = await vault.addAccount(vault.store, {
          password,
          source: { type: "privateKey", privateKey },
        });
        const session = await vault.unlockVault(vault.store, { password, idleMs: 300 });
        const account = session.account(address);
        await account.signMessage({ message: "before" });
        await new Promise((resolve) => setTimeout(resolve, 700));
        const refused = await account.signMessage({ message: "after" }).then(
          () => "signed",
          (error: { code: string }) => error.code,
        );
        return { locked: session.locked, refused };
      },
      { password: PASSWORD, privateKey: KEY_0 },
    );
    expect(outcome).toEqual({ locked: true, refused: "VAULT_LOCKED" });
    await context.close();
  });

  it("puts no phrase, key or password in web storage, cookies, the URL, the console or a request", async () => {
    const { context, page, seen } = await openPage();
    const mnemonic = await page.evaluate(async (password) => {
      const phrase = vault.createMnemonic();
      const { address } = await vault.addAccount(vault.store, {
        password,
        source: { type: "mnemonic", mnemonic: phrase },
      });
      await vault.addAccount(vault.store, { password, source: { type: "derive", from: address } });
      const session = await vault.unlockVault(vault.store, { password });
      await session.account(address).signMessage({ message: "hello" });
      await vault.exportPhrase(vault.store, { password, address });
      await vault
        .unlockVault(vault.store, { password: `${password}-wrong` })
        .catch((error: Error) => console.error(error));
      session.lock();
      return phrase;
    }, PASSWORD);
    const exposed = await page.evaluate(async () => ({
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
      url: location.href,
      records: JSON.stringify(await vault.store.list()),
    }));
    const everything = [...seen, ...Object.values(exposed)].join("\n");
    expect(everything).toContain("WrongPasswordError"); // the console was recorded
    const words = mnemonic.split(" ");
    const keys = [0, 1].map((index) => deriveAccount({ mnemonic, index }).privateKey.slice(2));
    const secrets = [mnemonic, words.slice(0, 3).join(" "), words.slice(-3).join(" "), ...keys, PASSWORD];
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(exposed.records).toContain('"name":"Account 1"');
    await context.close();
  });

  it("imports npm start's demo keystore, ethers loaded only then (a chunk of its own)", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true, mode: 0o700 });
    const { accounts } = await prepareDemoWallet(home, ["alice"], 0);
    const json = await readFile(join(keystoreDir(home), `${accounts.alice}.json`), "utf8");
    const { context, page, seen } = await openPage();
    const chunks = () => seen.filter((line) => /^request: \S+\.js /.test(line) && !line.includes("/entry.js"));
    const before = chunks().length;
    const added = await page.evaluate(
      ({ password, json, keystorePassword }) =>
        vault.addAccount(vault.store, {
          password,
          name: "alice",
          source: { type: "keystore", json, password: keystorePassword },
        }),
      { password: PASSWORD, json, keystorePassword: DEMO_PASSWORD },
    );
    expect(added).toEqual({ address: ACCOUNT_0, name: "alice", source: "privateKey", path: undefined });
    expect(
      chunks()
        .slice(before)
        .some((line) => line.includes("/decryptKeystore-")),
    ).toBe(true);
    await context.close();
  });

  it("stores records in the 'gram-keys' database: get, put many in one transaction (all or none), delete", async () => {
    const { context, page } = await openPage();
    const outcome = await page.evaluate(
      async ({ password, privateKey }) => {
        const { address } = await vault.addAccount(vault.store, {
          password,
          source: { type: "privateKey", privateKey },
        });
        const record = (await vault.store.get(address)) as { name: string };
        const renamed = { ...record, name: "renamed" } as Parameters<typeof vault.store.put>[0][number];
        const broken = { ...renamed, address: undefined } as unknown as typeof renamed;
        const batch = await vault.store.put([renamed, broken]).then(
          () => "written",
          (error: Error) => error.name,
        );
        const afterBatch = ((await vault.store.get(address)) as { name: string }).name;
        const databases = (await indexedDB.databases()).map((database) => database.name);
        await vault.store.delete(address);
        return { before: record.name, batch, afterBatch, databases, left: (await vault.store.list()).length };
      },
      { password: PASSWORD, privateKey: KEY_0 },
    );
    expect(outcome).toEqual({
      before: "Account 1",
      batch: "DataError",
      afterBatch: "Account 1",
      databases: ["gram-keys"],
      left: 0,
    });
    await context.close();
  });

  it("keeps each context's vault to itself: bob's window does not see alice's accounts", async () => {
    const alice = await openPage();
    const bob = await openPage();
    await alice.page.evaluate(
      (password) =>
        vault.addAccount(vault.store, { password, source: { type: "privateKey", privateKey: "0x01".padEnd(66, "1") } }),
      PASSWORD,
    );
    const [aliceAccounts, bobAccounts] = await Promise.all(
      [alice.page, bob.page].map((page) =>
        page.evaluate(async () => (await vault.listVaultAccounts(vault.store)).length),
      ),
    );
    expect([aliceAccounts, bobAccounts]).toEqual([1, 0]);
    await alice.context.close();
    await bob.context.close();
  });
});
