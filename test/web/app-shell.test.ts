// The web app's shell in Debian's Chromium against the real stack (embedded chain with the contracts,
// a gram-node child serving the built app): it loads clean under its CSP, the node serves it with the
// right headers and refuses paths outside it, the link screen decodes real signed links and refuses
// tampered and wrong-chain ones, `#/pay/<link>` opens a link, the status bar shows the node and a lost
// connection, screenshots at 360 px and on a desktop, and an axe-core scan.
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeEip681 } from "../../protocol/links/eip681.ts";
import type { InvoiceMetadata } from "../../protocol/links/metadata.ts";
import { encodeRequestLink } from "../../protocol/links/request-link.ts";
import { localAccount, ROLE } from "../kit/accounts.ts";
import { rawGet } from "../kit/http.ts";
import { signedInvoiceLink } from "../kit/invoice-link.ts";
import { seriousAxeViolations, sidewaysOverflow } from "../kit/page-checks.ts";
import { startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

/** Where the tests save the app's screenshots (git-ignored). */
const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const GRAM = 1_000_000_000n;

let stack: WebStack;
let context: BrowserContext;
let invoiceLink: string;
let requestLink: string;
const merchant = localAccount(ROLE.merchant);
const metadata: InvoiceMetadata = {
  title: "Lunch at Noodle Bar",
  items: [
    { name: "Dan dan noodles", quantity: "2", price: "3.5" },
    { name: "Jasmine tea", quantity: "1", price: "2" },
  ],
  memo: "table 4",
};

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  const { chain } = stack;
  ({ link: invoiceLink } = await signedInvoiceLink(chain, { merchant, metadata, ref: "order-1" }));
  requestLink = encodeRequestLink({
    chainId: chain.chainId,
    to: chain.holders[0] as Hex,
    token: chain.token,
    amount: 12n * GRAM + GRAM / 2n,
    memo: "lunch",
  });
  context = await stack.browser.newContext({ viewport: { width: 360, height: 740 } });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await stack?.close();
});

async function openApp(path = "#/link") {
  const page = await context.newPage();
  const problems = await watchPage(page);
  await page.goto(`${stack.appUrl}${path}`);
  await page
    .getByTestId("node-status")
    .filter({ hasText: `Chain ${stack.chain.chainId}` })
    .waitFor();
  return { page, problems };
}

async function openLink(page: Page, link: string) {
  await page.getByLabel("A gram: or ethereum: link").fill(link);
  // Keyboard only: from the text box, Tab reaches the Open button and Enter presses it.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
}

describe("the app shell", () => {
  it("loads with no console error and no CSP violation, and shows the node's chain and indexed block", async () => {
    const { page, problems } = await openApp();
    await expect(page.title()).resolves.toBe("Gram");
    const status = await page.getByTestId("node-status").textContent();
    const indexed = Number(/block (\d+)/.exec(status ?? "")?.[1]);
    expect(indexed).toBeGreaterThanOrEqual(stack.chain.deployBlock);
    // Let the service worker install and the status poll again before counting complaints.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForTimeout(500);
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await page.close();
  });

  it("is installable: a manifest and a service worker that controls the page after a reload", async () => {
    const { page } = await openApp();
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return (await fetch(link?.href ?? "")).json();
    });
    expect(manifest).toMatchObject({ name: "Gram", start_url: "/", display: "standalone" });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await expect(page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).resolves.toBe(
      `${stack.appUrl}sw.js`,
    );
    await page.close();
  });
});

describe("how the node serves it", () => {
  it("sends index.html with no-cache and a hashed asset immutable, both under the strict CSP", async () => {
    const index = await rawGet(stack.node.url, "/");
    expect(index.status).toBe(200);
    expect(index.headers["cache-control"]).toBe("no-cache");
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(index.body.toString())?.[1] as string;
    expect(script).toBeDefined();
    const asset = await rawGet(stack.node.url, script);
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const node = new URL(stack.node.url);
    for (const answer of [index, asset]) {
      expect(answer.headers["content-security-policy"]).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
          `connect-src 'self' ws://${node.host} ${stack.chain.url}; manifest-src 'self'; worker-src 'self'; ` +
          "form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
      );
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["referrer-policy"]).toBe("no-referrer");
    }
  });

  it("has no inline script in index.html and every script from its own origin", async () => {
    const html = await readFile(join(stack.webDir, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body?.trim()).toBe("");
      expect(attributes).toMatch(/src="\/(assets\/|zod-jitless\.js")/);
    }
    expect(html).not.toMatch(/style="/);
  });

  it.each([
    "/../package.json",
    "/%2e%2e/package.json",
    "/assets/..%2f..%2f..%2fpackage.json",
    "/assets/%2e%2e/%2e%2e/web/vite.config.ts",
  ])("refuses the path traversal %s with a 404", async (path) => {
    const answer = await rawGet(stack.node.url, path);
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).not.toContain('"name": "gram"');
  });

  it("keeps the API's routes: /v1/status answers JSON, not the app", async () => {
    const answer = await rawGet(stack.node.url, "/v1/status");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString()).chainId).toBe(stack.chain.chainId);
  });
});

describe("the link screen", () => {
  it("decodes a signed invoice link: amount in GRAM, merchant, items, tip up to maxTip, expiry", async () => {
    const { page, problems } = await openApp();
    await openLink(page, invoiceLink);
    const view = page.getByTestId("link-view");
    await view.waitFor();
    await expect(view.getAttribute("data-kind")).resolves.toBe("invoice");
    await expect(view.locator("h2").textContent()).resolves.toBe(metadata.title);
    await expect(page.getByTestId("amount").locator("dd").textContent()).resolves.toBe("9 GRAM");
    await expect(page.getByTestId("tip").locator("dd").textContent()).resolves.toBe("up to 2 GRAM");
    await expect(page.getByTestId("to").locator("dd").textContent()).resolves.toBe(merchant.address);
    const items = await view.locator("tbody tr").allTextContents();
    expect(items).toEqual(["Dan dan noodles23.5", "Jasmine tea12"]);
    await expect(view.textContent()).resolves.toContain("table 4");
    await expect(page.getByTestId("expiry").count()).resolves.toBe(1);
    // The route now carries the link: a reload shows it again.
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/pay/${invoiceLink}`);
    await page.screenshot({ path: join(SCREENSHOTS, "link-invoice-360.png"), fullPage: true });
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await page.close();
  });

  it("decodes a request link: amount with the token's decimals, payee and memo", async () => {
    const { page } = await openApp();
    await openLink(page, requestLink);
    await page.getByTestId("link-view").waitFor();
    await expect(page.getByTestId("link-view").getAttribute("data-kind")).resolves.toBe("request");
    await expect(page.getByTestId("amount").locator("dd").textContent()).resolves.toBe("12.5 GRAM");
    await expect(page.getByTestId("to").locator("dd").textContent()).resolves.toBe(stack.chain.holders[0]);
    await expect(page.getByTestId("link-view").textContent()).resolves.toContain("lunch");
    await page.close();
  });

  it("decodes an ethereum: (EIP-681) token transfer link", async () => {
    const { page } = await openApp();
    const link = encodeEip681(
      { chainId: stack.chain.chainId, token: stack.chain.token, to: stack.chain.holders[1] as Hex, amount: 3n * GRAM },
      { decimals: 9 },
    );
    await openLink(page, link);
    await page.getByTestId("link-view").waitFor();
    await expect(page.getByTestId("link-view").getAttribute("data-kind")).resolves.toBe("eip681");
    await expect(page.getByTestId("amount").locator("dd").textContent()).resolves.toBe("3 GRAM");
    await expect(page.getByTestId("to").locator("dd").textContent()).resolves.toBe(stack.chain.holders[1]);
    await page.close();
  });

  it("refuses a tampered invoice link with the link's error", async () => {
    const { page } = await openApp();
    // One character of the payload changed: the checksum no longer matches.
    const at = invoiceLink.length - 20;
    const tampered = `${invoiceLink.slice(0, at)}${invoiceLink[at] === "A" ? "B" : "A"}${invoiceLink.slice(at + 1)}`;
    await openLink(page, tampered);
    const refused = page.getByTestId("link-refused");
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toMatch(/checksum/i);
    await expect(page.getByTestId("link-view").count()).resolves.toBe(0);
    await page.close();
  });

  it("refuses a link made for another chain, saying which", async () => {
    const { page } = await openApp();
    const otherChain = encodeRequestLink({
      chainId: 1,
      to: stack.chain.holders[0] as Hex,
      token: stack.chain.token,
      amount: GRAM,
    });
    await openLink(page, otherChain);
    const refused = page.getByTestId("link-refused");
    await refused.waitFor();
    const text = (await refused.textContent()) ?? "";
    expect(text).toContain("1");
    expect(text).toContain(String(stack.chain.chainId));
    await page.close();
  });

  it("opens #/pay/<link> straight into the link's description", async () => {
    const { page } = await openApp(`#/pay/${invoiceLink}`);
    await page.getByTestId("link-view").waitFor();
    await expect(page.getByTestId("amount").locator("dd").textContent()).resolves.toBe("9 GRAM");
    await expect(page.getByLabel("A gram: or ethereum: link").inputValue()).resolves.toBe(invoiceLink);
    await page.close();
  });
});

describe("layout and accessibility", () => {
  it("fits 360 px without horizontal scrolling and saves screenshots at 360 px and on a desktop, light and dark", async () => {
    for (const [name, viewport, colorScheme] of [
      ["360", { width: 360, height: 740 }, "light"],
      ["360-dark", { width: 360, height: 740 }, "dark"],
      ["desktop", { width: 1280, height: 800 }, "light"],
      ["desktop-dark", { width: 1280, height: 800 }, "dark"],
    ] as const) {
      const view = await stack.browser.newContext({ viewport, colorScheme });
      const page = await view.newPage();
      await page.goto(`${stack.appUrl}#/pay/${invoiceLink}`);
      await page.getByTestId("link-view").waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, `link-screen-${name}.png`), fullPage: true });
      await view.close();
    }
    const saved = await readdir(SCREENSHOTS);
    expect(saved).toEqual(expect.arrayContaining(["link-screen-360.png", "link-screen-desktop.png"]));
  });

  it("has no serious or critical axe-core violation, light or dark, on the link screen and a refusal", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const view = await stack.browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme });
      const page = await view.newPage();
      await page.goto(`${stack.appUrl}#/pay/${invoiceLink}`);
      await page.getByTestId("link-view").waitFor();
      for (const state of ["invoice", "refused"]) {
        if (state === "refused") await openLink(page, "gram:invoice/not-a-link");
        if (state === "refused") await page.getByTestId("link-refused").waitFor();
        const serious = await seriousAxeViolations(page);
        expect({ colorScheme, state, serious }).toEqual({ colorScheme, state, serious: [] });
      }
      await view.close();
    }
  });
});

describe("a lost node", () => {
  it("opens a demo account in one click on the development chain: signed in to the hub, one tab at a time", async () => {
    const { page, problems } = await openApp("");
    await page.getByTestId("demo-alice").click();
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("alice (demo)");
    expect(new URL(page.url()).hash).toBe("#/chats");
    // The same account in a second tab is refused: one tab reads an account's inbox.
    const second = await openApp("");
    await second.page.getByTestId("demo-alice").click();
    await expect(second.page.getByRole("alert").textContent()).resolves.toContain("open in another tab");
    // Signing out frees it.
    await page.getByRole("button", { name: "Sign out" }).click();
    await second.page.getByTestId("demo-alice").click();
    await expect(second.page.getByTestId("signed-in-as").textContent()).resolves.toBe("alice (demo)");
    expect(problems).toEqual({ errors: [], cspViolations: [] });
    await page.close();
    await second.page.close();
  });

  it("shows the connection lost when the node stops", async () => {
    const { page } = await openApp();
    await stack.node.stop();
    const status = page.getByTestId("node-status");
    await page.locator('[data-testid="node-status"][data-state="lost"]').waitFor({ timeout: 15_000 });
    await expect(status.textContent()).resolves.toMatch(/Connection to the node lost \(last indexed block \d+\)/);
    await page.screenshot({ path: join(SCREENSHOTS, "node-lost-360.png") });
    await page.close();
  });
});
