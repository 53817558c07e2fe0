// The IndexedDB stores (web/storage/) in Chromium: the stores' contract (test/kit/store-contract.ts, the
// same cases the memory and file stores pass in test/wallet/stores.test.ts), then what only a browser has:
// a reload keeps the data, two people's contexts do not see each other's, two tabs of one account never
// get the same nonce or invoice number (Web Locks), a damaged chat state is refused.
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../kit/browser.ts";
import { bundleForBrowser, type ServedBundle, serveBundle } from "../../kit/browser-bundle.ts";
import { STORE_CONTRACT } from "../../kit/store-contract.ts";

let browser: Browser;
let served: ServedBundle;

beforeAll(async () => {
  const bundle = await bundleForBrowser({ stores: "test/web/storage/stores-entry.ts" });
  served = await serveBundle(bundle, ["stores"]);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** A new account each time, so that each case starts with empty stores. */
let accounts = 0;
const freshAccount = () => `0x${(++accounts).toString(16).padStart(40, "a")}` as Address;

async function open(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(served.url);
  await page.waitForFunction(() => window.gramStores !== undefined);
  return page;
}

describe("the IndexedDB stores keep the stores' contract", () => {
  let page: Page;
  beforeAll(async () => {
    page = await open(await browser.newContext());
  });

  it.each(STORE_CONTRACT.map(({ name }) => name))("%s", async (name) => {
    const account = freshAccount();
    expect(await page.evaluate(([n, a]) => window.gramStores.runCase(n, a), [name, account] as const)).toBeUndefined();
  });
});

describe("what only a browser has", () => {
  it("a reload keeps contacts, invoices, nonces and the chat state", async () => {
    const page = await open(await browser.newContext());
    const account = freshAccount();
    await page.evaluate((a) => window.gramStores.fill(a), account);
    await page.reload();
    await page.waitForFunction(() => window.gramStores !== undefined);
    expect(await page.evaluate((a) => window.gramStores.look(a), account)).toEqual({
      contacts: { bob: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
      invoice: "5",
      next: 8,
      lastSeq: 12,
    });
  });

  it("two people (two contexts) do not see each other's data, even for the same account", async () => {
    const alice = await open(await browser.newContext());
    const bob = await open(await browser.newContext());
    const account = freshAccount();
    await alice.evaluate((a) => window.gramStores.fill(a), account);
    expect(await bob.evaluate((a) => window.gramStores.look(a), account)).toEqual({
      contacts: {},
      invoice: "INVOICE_NOT_FOUND",
    });
  });

  it("two tabs of one account allocating at once never get the same invoice number or nonce", async () => {
    const context = await browser.newContext();
    const [one, two] = [await open(context), await open(context)];
    const account = freshAccount();
    const numbers = await Promise.all(
      [one, two].map((tab) => tab.evaluate((a) => window.gramStores.allocate(a, 10), account)),
    );
    const all = numbers
      .flat()
      .map(BigInt)
      .sort((a, b) => Number(a - b));
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    const nonces = await Promise.all(
      [one, two].map((tab) => tab.evaluate((a) => window.gramStores.send(a, 10), account)),
    );
    expect(nonces.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("a damaged chat state is refused with CHAT_STATE_INVALID naming the record", async () => {
    const page = await open(await browser.newContext());
    const account = freshAccount();
    const refused = await page.evaluate((a) => window.gramStores.damagedChatState(a), account);
    expect(refused?.code).toBe("CHAT_STATE_INVALID");
    expect(refused?.message).toContain(`IndexedDB gram/chat-state/${account}/31337 ws://hub: lastSeq`);
  });
});
