// The pay sheet, receive and scan screens in Debian's Chromium against the real stack (chain, gram-node
// with its relayer, the built app), signed in as the demo account alice (ROLE.payer): a request link paid
// from #/pay/<link> (the amount arrives on chain, and the summary shown is what was signed), an invoice
// pasted on the scan screen paid with a suggested tip (the escrow holds the amount, the merchant has the
// tip), a gasless send (alice spends no ETH), a tampered link and a non-link refused, a look-alike address
// and a hub name close to a contact blocked, a token contract as recipient blocked, a QR image of a
// request link opening the sheet, a request link made on the receive screen; screenshots and axe-core.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import QRCode from "qrcode";
import { type Address, getAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import { decodeLink } from "../../protocol/links/decode-link.ts";
import type { InvoiceMetadata } from "../../protocol/links/metadata.ts";
import { encodeRequestLink } from "../../protocol/links/request-link.ts";
import { connectChat } from "../../wallet/chat/connectChat.ts";
import { registerUsername } from "../../wallet/chat/registerUsername.ts";
import { addressOf, labeledKey, localAccount, ROLE } from "../kit/accounts.ts";
import { signedInvoiceLink } from "../kit/invoice-link.ts";
import { seriousAxeViolations, sidewaysOverflow } from "../kit/page-checks.ts";
import { type PageProblems, startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const GRAM = 1_000_000_000n;
const alice = addressOf("payer");
const bob = addressOf("other");
const merchant = localAccount(ROLE.merchant);

let stack: WebStack;
let page: Page;
let problems: PageProblems;
let invoice: Invoice;
let invoiceLink: string;

const balance = (owner: Address) => stack.chain.tokenBalance(owner);

const go = (hash: string) => page.evaluate((to) => (location.hash = to), hash);
const sheet = () => page.getByTestId("pay-sheet");
const field = (testid: string) => page.getByTestId(testid).locator("dd").textContent();

async function closeSheet() {
  await page.keyboard.press("Escape");
  await sheet().waitFor({ state: "detached" });
}

async function screenshot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function sendForm(to: string, amount: string, { gasless = false } = {}) {
  await go("/scan");
  await page.getByTestId("scan-send").click();
  await page.locator('[data-testid="pay-sheet"][data-step="form"]').waitFor();
  await page.getByLabel("To", { exact: true }).fill(to);
  await page.getByLabel(/^Amount/).fill(amount);
  if (gasless) await page.getByLabel(/Gasless/).check();
  await page.getByRole("button", { name: "Review" }).click();
}

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  const { chain } = stack;
  const metadata: InvoiceMetadata = {
    title: "Two flat whites",
    items: [{ name: "Flat white", quantity: "2", price: "4.5" }],
  };
  ({ invoice, link: invoiceLink } = await signedInvoiceLink(chain, {
    merchant,
    metadata,
    ref: "web-pay-order-1",
    cashbackBps: 200,
    nonce: 41n,
  }));
  const context = await stack.browser.newContext({ viewport: { width: 360, height: 740 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = await context.newPage();
  problems = await watchPage(page);
  await page.goto(stack.appUrl);
  await page.getByTestId("demo-alice").click();
  await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe("alice (demo)");
}, 180_000);
afterAll(async () => {
  await page?.context().close();
  await stack?.close();
});

describe("the pay sheet", () => {
  it("pays a request link from #/pay/<link>: the summary is what is signed, and the amount arrives", async () => {
    const link = encodeRequestLink({
      chainId: stack.chain.chainId,
      to: bob,
      token: stack.chain.token,
      amount: 12n * GRAM + GRAM / 2n,
      memo: "lunch",
    });
    const before = await balance(bob);
    await go(`/pay/${link}`);
    await page.getByTestId("link-pay").click();
    await page.getByRole("dialog").getByRole("button", { name: "Review" }).waitFor();
    await screenshot("pay-sheet-form-360");
    await page.getByRole("button", { name: "Review" }).click();
    await page.getByTestId("pay-summary").waitFor();
    await expect(field("summary-action")).resolves.toBe("Token transfer");
    await expect(field("summary-amount")).resolves.toBe("12.5 GRAM");
    await expect(field("summary-recipient")).resolves.toContain(bob);
    await expect(field("summary-chain")).resolves.toMatch(new RegExp(`^${stack.chain.chainId}`));
    await page.getByTestId("pay-sign").click();
    const status = page.locator('[data-testid="result-status"][data-state="confirmed"]');
    await status.waitFor({ timeout: 30_000 });
    const hash = (await field("result-hash")) as Hex;
    // What was signed: the transaction's own calldata, read back from the chain.
    const receipt = await stack.chain.client.getTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(getAddress(receipt.from)).toBe(alice);
    expect(await balance(bob)).toBe(before + 12n * GRAM + GRAM / 2n);
    await screenshot("pay-sheet-result-360");
    await page.getByRole("button", { name: "Done" }).click();
    await sheet().waitFor({ state: "detached" });
  });

  it("pays an invoice pasted on the scan screen with a suggested 10% tip: the escrow holds the amount, the merchant has the tip", async () => {
    const merchantBefore = await balance(merchant.address);
    const aliceBefore = await balance(alice);
    await go("/scan");
    await page.getByLabel("Paste a gram: or ethereum: link").fill(invoiceLink);
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByRole("group", { name: /Tip/ }).waitFor();
    // Telegram-like suggestions: none, 5, 10 and 15 % of 9 GRAM, under the 2 GRAM maximum.
    const tips = await page.getByRole("group", { name: /Tip/ }).locator("label").allTextContents();
    expect(tips).toEqual(["No tip", "0.45 GRAM", "0.9 GRAM", "1.35 GRAM", "Other"]);
    await expect(sheet().textContent()).resolves.toContain("2% back on capture");
    await page.getByLabel("0.9 GRAM", { exact: true }).check();
    await page.getByRole("button", { name: "Review" }).click();
    await page.getByTestId("pay-summary").waitFor();
    await expect(field("summary-amount")).resolves.toBe("9 GRAM");
    await expect(field("summary-tip")).resolves.toBe("0.9 GRAM");
    await expect(field("summary-recipient")).resolves.toContain(merchant.address);
    await page.getByTestId("pay-sign").click();
    await page.locator('[data-testid="result-status"][data-state="confirmed"]').waitFor({ timeout: 30_000 });
    const id = invoiceId({ chainId: stack.chain.chainId, escrow: stack.chain.escrow, invoice });
    const payment = (await stack.chain.client.readContract({
      address: stack.chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "paymentOf",
      args: [id],
    })) as { held: bigint };
    expect(payment.held).toBe(9n * GRAM);
    expect(await balance(merchant.address)).toBe(merchantBefore + (9n * GRAM) / 10n);
    expect(await balance(alice)).toBe(aliceBefore - 9n * GRAM - (9n * GRAM) / 10n);
    await closeSheet();
  });

  it("sends gasless through the node's relayer: the amount arrives and alice spends no ETH", async () => {
    const ethBefore = await stack.chain.client.getBalance({ address: alice });
    const before = await balance(bob);
    await sendForm(bob, "2", { gasless: true });
    await page.getByTestId("pay-summary").waitFor();
    await expect(field("summary-action")).resolves.toMatch(/^Gasless transfer/);
    await expect(field("summary-amount")).resolves.toBe("2 GRAM");
    await page.getByTestId("pay-sign").click();
    await page.locator('[data-testid="result-status"][data-state="confirmed"]').waitFor({ timeout: 30_000 });
    expect(await balance(bob)).toBe(before + 2n * GRAM);
    expect(await stack.chain.client.getBalance({ address: alice })).toBe(ethBefore);
    await closeSheet();
  });

  it("refuses a tampered link with the protocol's message, and anything that is not a payment link", async () => {
    const link = encodeRequestLink({ chainId: stack.chain.chainId, to: bob, token: stack.chain.token, amount: GRAM });
    const at = link.length - 10;
    const tampered = `${link.slice(0, at)}${link[at] === "A" ? "B" : "A"}${link.slice(at + 1)}`;
    await go("/scan");
    await page.getByLabel("Paste a gram: or ethereum: link").fill(tampered);
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByTestId("pay-refused").textContent()).resolves.toMatch(/checksum/i);
    await expect(page.getByTestId("pay-sign").count()).resolves.toBe(0);
    await closeSheet();
    await page.getByLabel("Paste a gram: or ethereum: link").fill("https://example.com/pay");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByTestId("scan-refused").textContent()).resolves.toContain("Not a payment link");
    await expect(sheet().count()).resolves.toBe(0);
  });

  it("blocks an address that looks like one alice paid before (same first and last 4 hex digits): Sign is disabled", async () => {
    const lower = bob.toLowerCase();
    const middle = lower.slice(6, -4).replace(/./g, (c) => (c === "0" ? "1" : "0"));
    const lookAlike = getAddress(`${lower.slice(0, 6)}${middle}${lower.slice(-4)}`);
    await sendForm(lookAlike, "1");
    await page.getByTestId("pay-summary").waitFor();
    const warning = page.locator('[data-testid="pay-warning"][data-code="LOOK_ALIKE"]');
    await expect(warning.getAttribute("data-level")).resolves.toBe("block");
    await expect(warning.textContent()).resolves.toContain(bob);
    await expect(page.getByTestId("pay-sign").isDisabled()).resolves.toBe(true);
    await screenshot("pay-sheet-warning-360");
    await closeSheet();
  });

  it("blocks a hub name a typo away from a contact (~b0b for the contact @bob)", async () => {
    // alice's contact bob, as the contacts screen saves it (the account's record in IndexedDB).
    await page.evaluate(
      ([account, address]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open("gram");
          open.onsuccess = () => {
            const tx = open.result.transaction("contacts", "readwrite");
            tx.objectStore("contacts").put({ bob: address }, [account.toLowerCase(), "contacts"]);
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
      [alice, bob] as const,
    );
    const impostor = labeledKey("web-pay-impostor");
    const chat = await connectChat({
      url: stack.node.url,
      account: impostor,
      chainId: stack.chain.chainId,
      escrow: stack.chain.escrow,
      sync: false,
    });
    await registerUsername(chat, "b0b");
    await chat.close();
    await sendForm("@b0b", "1");
    await page.getByTestId("pay-summary").waitFor();
    const warning = page.locator('[data-testid="pay-warning"][data-code="LOOK_ALIKE_NAME"]');
    await expect(warning.getAttribute("data-level")).resolves.toBe("block");
    await expect(warning.textContent()).resolves.toContain("@bob");
    await expect(field("summary-recipient")).resolves.toContain(impostor.address);
    await expect(page.getByTestId("pay-sign").isDisabled()).resolves.toBe(true);
    await closeSheet();
  });

  it("blocks the token contract as a recipient", async () => {
    await sendForm(stack.chain.token, "1");
    await page.getByTestId("pay-summary").waitFor();
    const warning = page.locator('[data-testid="pay-warning"][data-code="TOKEN_CONTRACT"]');
    await expect(warning.getAttribute("data-level")).resolves.toBe("block");
    await expect(page.getByTestId("pay-sign").isDisabled()).resolves.toBe(true);
    // Escape closes the sheet; nothing was signed.
    await closeSheet();
  });
});

describe("scan and receive", () => {
  it("opens the pay sheet from a QR code image of a request link", async () => {
    const link = encodeRequestLink({
      chainId: stack.chain.chainId,
      to: bob,
      token: stack.chain.token,
      amount: 7n * GRAM,
      memo: "tickets",
    });
    const png = await QRCode.toBuffer(link, { width: 400, margin: 4 });
    await go("/scan");
    await screenshot("scan-360");
    await page.getByTestId("scan-file").setInputFiles({ name: "request.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Review" }).waitFor();
    await expect(sheet().textContent()).resolves.toContain("7 GRAM");
    await expect(sheet().textContent()).resolves.toContain("tickets");
    await closeSheet();
  });

  it("shows the address and makes a request link for an amount and memo, with QR codes", async () => {
    await go("/receive");
    await expect(page.getByTestId("receive-address").textContent()).resolves.toBe(alice);
    await page.getByLabel(/^Amount/).fill("3.25");
    await page.getByLabel("Memo (optional)").fill("coffee");
    await page.getByRole("button", { name: "Create request link" }).click();
    const text = await page.getByLabel("Request link").inputValue();
    const decoded = await decodeLink(text, { chainId: stack.chain.chainId, token: stack.chain.token });
    expect(decoded.kind).toBe("request");
    expect(decoded.kind === "request" && decoded.request).toMatchObject({
      to: alice,
      amount: 3_250_000_000n,
      memo: "coffee",
    });
    await expect(page.locator("img.receive-qr").count()).resolves.toBe(2);
    await page.getByRole("button", { name: "Copy link" }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(text);
    await screenshot("receive-360");
  });
});

describe("layout and accessibility", () => {
  it("fits 360 px and a desktop, light and dark, with screenshots, and has no serious axe-core violation", async () => {
    const axe = async (state: string) => {
      expect({ state, serious: await seriousAxeViolations(page) }).toEqual({ state, serious: [] });
    };
    for (const [name, viewport, scheme] of [
      ["360", { width: 360, height: 740 }, "light"],
      ["desktop", { width: 1280, height: 800 }, "light"],
      ["desktop-dark", { width: 1280, height: 800 }, "dark"],
      ["360-dark", { width: 360, height: 740 }, "dark"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      for (const screen of ["receive", "scan"]) {
        await go(`/${screen}`);
        await page
          .locator("h1")
          .filter({ hasText: screen === "receive" ? "Receive" : "Scan or paste" })
          .waitFor();
        expect(await sidewaysOverflow(page)).toBe(0);
        if (name !== "360") await screenshot(`${screen}-${name}`);
        if (name === "360" || name === "desktop-dark") await axe(`${screen} ${name}`);
      }
      // The sheet: its form, then its summary with a blocking warning.
      await sendForm(stack.chain.token, "1");
      await page.getByTestId("pay-summary").waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      if (name !== "360") await screenshot(`pay-sheet-warning-${name}`);
      if (name === "360" || name === "desktop-dark") await axe(`pay sheet ${name}`);
      await closeSheet();
    }
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  });
});
