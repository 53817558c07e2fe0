// The keys and settings screens in Debian's Chromium against the real stack: create a wallet (the phrase
// shown once, a wrong confirmation word refused), import a phrase, a private key and a keystore file into
// the same vault, a reload that keeps the accounts and comes back locked, a wrong password refused, the
// phrase exported only with the password again, auto-lock on idle, a lock in one tab locking the other,
// and no key material in web storage, the console, any request or any WebSocket frame. Screenshots at
// 360 px and on a desktop (one dark), and an axe-core scan of each screen.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { encryptKeystoreJson } from "ethers";
import type { BrowserContext, Page } from "playwright-core";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMnemonic } from "../../wallet/keys/createMnemonic.ts";
import { deriveAccount } from "../../wallet/keys/deriveAccount.ts";
import { seriousAxeViolations, sidewaysOverflow } from "../kit/page-checks.ts";
import { type PageProblems, startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const PASSWORD = "plum harbor quietly seven lanterns";
const KEYSTORE_PASSWORD = "keystore pass for the test";

let stack: WebStack;
let context: BrowserContext;
/** Every request URL and body, WebSocket frame and console message of every page of the context. */
const seen: string[] = [];
const problems: PageProblems[] = [];
/** localStorage and sessionStorage of every page, read as it closes. */
const storages: string[] = [];
/** The secrets the app handled: none may appear in `seen` or web storage. */
const secrets: string[] = [PASSWORD, KEYSTORE_PASSWORD];
let created: { phrase: string; address: string };
const importedPhrase = createMnemonic();
const importedFromPhrase = deriveAccount({ mnemonic: importedPhrase, index: 0 });
const importedKey = generatePrivateKey();
const keystoreKey = generatePrivateKey();

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  context = await stack.browser.newContext({ viewport: { width: 360, height: 740 } });
  context.setDefaultTimeout(15_000);
  context.on("page", (page) => {
    page.on("console", (message) => seen.push(message.text()));
    page.on("websocket", (socket) => {
      socket.on("framesent", (frame) => seen.push(String(frame.payload)));
    });
  });
  context.on("request", (request) => seen.push(`${request.url()} ${request.postData() ?? ""}`));
  secrets.push(importedPhrase, importedFromPhrase.privateKey.slice(2), importedKey.slice(2), keystoreKey.slice(2));
}, 180_000);
// A failed test must not leave a tab holding an account's chat (one tab per account).
afterEach(async () => {
  for (const page of context.pages()) await done(page);
});
afterAll(async () => {
  await context?.close();
  await stack?.close();
});

async function openPage(hash = "") {
  const page = await context.newPage();
  problems.push(await watchPage(page));
  await page.goto(`${stack.appUrl}${hash}`);
  await page
    .getByTestId("node-status")
    .filter({ hasText: `Chain ${stack.chain.chainId}` })
    .waitFor();
  return page;
}

/** Reads the page's web storage (for the no-secrets test), then closes it. */
async function done(page: Page) {
  storages.push(
    await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })),
  );
  await page.close();
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `keys-${name}-360.png`), fullPage: true });
  expect({ name, overflow: await sidewaysOverflow(page) }).toEqual({ name, overflow: 0 });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SCREENSHOTS, `keys-${name}-desktop.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: join(SCREENSHOTS, `keys-${name}-desktop-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 360, height: 740 });
}

/** The serious and critical axe-core violations of the page as it is, light and dark. */
async function axe(page: Page, screen: string) {
  const found: unknown[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await seriousAxeViolations(page)));
  }
  await page.emulateMedia({ colorScheme: "light" });
  expect({ screen, found }).toEqual({ screen, found: [] });
}

async function unlock(page: Page, name: string, password = PASSWORD) {
  const account = await page.getByTestId("unlock-account").locator("option", { hasText: name }).getAttribute("value");
  await page.getByTestId("unlock-account").selectOption(account as string);
  await page.getByTestId("unlock-password").fill(password);
  await page.getByTestId("unlock").click();
}

describe("keys", () => {
  it("creates a wallet: the phrase shown once, a wrong word refused, then the right ones, a strong password", async () => {
    const page = await openPage();
    await page.getByTestId("create-wallet").click();
    await page.getByTestId("phrase").waitFor();
    const words = await page.getByTestId("phrase").locator("li").allTextContents();
    expect(words).toHaveLength(12);
    const phrase = words.join(" ");
    secrets.push(phrase);
    await screenshot(page, "create");
    await axe(page, "create");
    await page.getByTestId("phrase-written").click();
    // The phrase is gone from the page once written down.
    await expect(page.getByTestId("phrase").count()).resolves.toBe(0);

    const inputs = page.locator('[data-testid^="confirm-word-"]');
    await inputs.first().waitFor();
    const positions = (
      await inputs.evaluateAll((all) => all.map((input) => input.id.replace("confirm-word-", "")))
    ).map(Number);
    expect(positions).toHaveLength(3);
    const [first, ...rest] = positions as [number, ...number[]];
    // One wrong word: refused, naming the position and never a word.
    await page.getByTestId(`confirm-word-${first}`).fill(words[first - 1] === "zoo" ? "abandon" : "zoo");
    for (const position of rest) await page.getByTestId(`confirm-word-${position}`).fill(words[position - 1] as string);
    await screenshot(page, "confirm");
    await page.getByRole("button", { name: "Confirm" }).click();
    const refusal = await page.getByTestId("keys-error").textContent();
    expect(refusal).toContain(`word ${first} of the phrase does not match`);
    await page.getByTestId(`confirm-word-${first}`).fill(words[first - 1] as string);
    await page.getByRole("button", { name: "Confirm" }).click();

    // The password: a short one is refused with the hint; a passphrase is rated strong.
    await page.getByLabel("New password").fill("short");
    await expect(page.getByTestId("password-strength").getAttribute("data-level")).resolves.toBe("too-short");
    await page.getByLabel("Repeat the password").fill("short");
    await page.getByRole("button", { name: "Create the wallet" }).click();
    await expect(page.getByTestId("keys-error").textContent()).resolves.toContain("at least 10 characters");
    await page.getByLabel("New password").fill(PASSWORD);
    await expect(page.getByTestId("password-strength").getAttribute("data-level")).resolves.toBe("strong");
    await page.getByLabel("Repeat the password").fill(PASSWORD);
    await axe(page, "create-password");
    await page.getByRole("button", { name: "Create the wallet" }).click();
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("Account 1");
    expect(new URL(page.url()).hash).toBe("#/chats");
    created = { phrase, address: deriveAccount({ mnemonic: phrase, index: 0 }).address };
    secrets.push(deriveAccount({ mnemonic: phrase, index: 0 }).privateKey.slice(2));
    await done(page);
  });

  it("imports a phrase, a private key and a keystore file into the same vault, with the vault's password", async () => {
    const page = await openPage();
    await unlock(page, "Account 1");
    await page.getByTestId("signed-in-as").waitFor();
    const importOne = async (kind: string, fill: () => Promise<void>) => {
      await page.goto(`${stack.appUrl}#/keys/import`);
      await page.getByLabel(kind, { exact: true }).check();
      await fill();
      await page.getByLabel("Your vault's password").fill(PASSWORD);
      await page.getByRole("button", { name: "Import" }).click();
      await page.waitForURL(/#\/settings$/, { timeout: 20_000 });
    };
    await importOne("Recovery phrase", () => page.getByLabel("Recovery phrase (12 or 24 words)").fill(importedPhrase));
    // A private key with a wrong password: refused with the vault's message, nothing added.
    await page.goto(`${stack.appUrl}#/keys/import`);
    await page.getByLabel("Private key", { exact: true }).check();
    await page.getByLabel("Private key (0x and 64 hex digits)").fill(importedKey);
    await page.getByLabel("Your vault's password").fill("not the password at all");
    await screenshot(page, "import");
    await axe(page, "import");
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByTestId("keys-error").textContent()).resolves.toContain("wrong password");
    await importOne("Private key", () => page.getByLabel("Private key (0x and 64 hex digits)").fill(importedKey));

    const keystore = await encryptKeystoreJson(
      { address: privateKeyToAccount(keystoreKey).address, privateKey: keystoreKey },
      KEYSTORE_PASSWORD,
      { scrypt: { N: 2 ** 12 } },
    );
    await importOne("Keystore file", async () => {
      await page.getByLabel("Keystore file (Web3 Secret Storage, .json)").setInputFiles({
        name: "keystore.json",
        mimeType: "application/json",
        buffer: Buffer.from(keystore),
      });
      await page.getByLabel("The keystore's password").fill(KEYSTORE_PASSWORD);
    });
    await page.getByTestId("account-item").nth(3).waitFor();
    const listed = await page
      .getByTestId("account-item")
      .evaluateAll((items) => items.map((item) => item.dataset.address));
    expect(listed).toEqual([
      created.address,
      importedFromPhrase.address,
      privateKeyToAccount(importedKey).address,
      privateKeyToAccount(keystoreKey).address,
    ]);
    // Add another: the next account of the created phrase (index 1).
    await page.getByLabel("Your vault's password").first().fill(PASSWORD);
    await page.getByRole("button", { name: "Add the next account" }).click();
    await page.getByText("Switch to it to use it").waitFor();
    await expect(page.getByTestId("account-item").count()).resolves.toBe(5);
    await expect(page.getByTestId("account-item").nth(4).getAttribute("data-address")).resolves.toBe(
      deriveAccount({ mnemonic: created.phrase, index: 1 }).address,
    );
    await screenshot(page, "settings");
    await axe(page, "settings");
    await done(page);
  });

  it("a reload keeps the accounts and comes back locked on the same account; a wrong password changes nothing", async () => {
    const page = await openPage();
    await unlock(page, "Account 3");
    await page.getByTestId("signed-in-as").filter({ hasText: "Account 3" }).waitFor();
    await page.goto(`${stack.appUrl}#/settings`);
    await page.getByTestId("account-list").waitFor();
    await page.reload();
    await page.getByTestId("unlock").waitFor();
    await expect(page.getByTestId("signed-in-as").count()).resolves.toBe(0);
    await expect(page.getByTestId("unlock-account").locator("option").count()).resolves.toBe(5);
    // The account of this tab before the reload is offered again.
    await expect(page.getByTestId("unlock-account").inputValue()).resolves.toBe(
      privateKeyToAccount(importedKey).address,
    );
    await page.getByTestId("unlock-password").fill("plum harbor quietly seven lantern");
    await page.getByTestId("unlock").click();
    await expect(page.getByTestId("unlock-error").textContent()).resolves.toContain("wrong password");
    await expect(page.getByTestId("signed-in-as").count()).resolves.toBe(0);
    await screenshot(page, "unlock");
    await axe(page, "unlock");
    await page.getByTestId("unlock-password").fill(PASSWORD);
    await page.getByTestId("unlock").click();
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("Account 3");
    // Back on the route it was reloaded at.
    await page.getByTestId("account-list").waitFor();
    await done(page);
  });

  it("shows the phrase only after the password is typed again, hides it on demand, and renames the account", async () => {
    const page = await openPage();
    await unlock(page, "Account 1");
    await page.getByTestId("signed-in-as").waitFor();
    await page.goto(`${stack.appUrl}#/settings`);
    await page.getByTestId("export-password").fill("wrong wrong wrong wrong");
    await page.getByTestId("export-phrase").click();
    await expect(page.getByTestId("export-error").textContent()).resolves.toContain("wrong password");
    await expect(page.getByTestId("exported-phrase").count()).resolves.toBe(0);
    await page.getByTestId("export-password").fill(PASSWORD);
    await page.getByTestId("export-phrase").click();
    await page.getByTestId("exported-phrase").waitFor();
    const words = await page.getByTestId("exported-phrase").locator("li").allTextContents();
    expect(words.join(" ")).toBe(created.phrase);
    await page.getByTestId("hide-phrase").click();
    await expect(page.getByTestId("exported-phrase").count()).resolves.toBe(0);

    // Renamed (no password: a name is a label): the list and the navigation show it.
    await page.getByRole("button", { name: "Rename Account 1" }).click();
    await page.getByLabel("New name").fill("Daily");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: "Daily" }).waitFor();
    await expect(page.getByTestId("account-item").first().locator(".account-name").textContent()).resolves.toBe(
      "Daily (this tab)",
    );
    await done(page);
  });

  it("locks every tab when one locks, and locks on idle", async () => {
    // Opened on a route that needs an account: once locked, each shows the unlock screen there.
    const first = await openPage("#/settings");
    await unlock(first, "Daily");
    await first.getByTestId("signed-in-as").waitFor();
    const second = await openPage("#/settings");
    await unlock(second, "Account 2");
    await second.getByTestId("signed-in-as").filter({ hasText: "Account 2" }).waitFor();
    await first.getByRole("button", { name: "Lock", exact: true }).click();
    await first.getByTestId("unlock").waitFor();
    await second.getByTestId("unlock").waitFor({ timeout: 5_000 });
    await expect(second.getByTestId("signed-in-as").count()).resolves.toBe(0);

    // Auto-lock: 0.05 minute (3 s) of idle time, stored as the setting is.
    await second.evaluate(() => localStorage.setItem("gram:auto-lock-minutes", "0.05"));
    await unlock(second, "Account 2");
    await second.getByTestId("signed-in-as").waitFor();
    await second.getByTestId("unlock").waitFor({ timeout: 10_000 });
    await expect(second.getByTestId("signed-in-as").count()).resolves.toBe(0);
    await second.evaluate(() => localStorage.removeItem("gram:auto-lock-minutes"));
    await done(first);
    await done(second);
  });

  it("never puts key material or the password in web storage, the console, a request or a WebSocket frame", async () => {
    const storage = storages.join("\n");
    expect(storages.length).toBeGreaterThan(5);
    expect(seen.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(storage.toLowerCase()).not.toContain(secret.toLowerCase());
      for (const text of seen) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // What sessionStorage does hold: the tab's account address, not a secret.
    expect(storage).toContain("gram:active-account");
    for (const found of problems) expect(found).toEqual({ errors: [], cspViolations: [] });
  });
});
