// The wallet and merchant screens in Debian's Chromium against the real stack: alice's balance is the
// chain's and moves live when bob pays her from Node (a chat payment with a memo); the history names bob
// and shows the memo; the CSV export parses back to the history with exact amounts and a formula-looking
// memo defused. The merchant sees invoices created and paid from Node with their escrow state, and
// captures, voids, refunds and withdraws from the web, each checked on the chain. Screenshots at 360 px
// and on a desktop (one dark), and an axe-core scan.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { createPublicClient, createWalletClient, type Hash, type Hex, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { formatAmount } from "../../protocol/amounts.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { payInvoice } from "../../wallet/actions/payInvoice.ts";
import { readBalance } from "../../wallet/actions/readBalance.ts";
import { type ChatConnection, connectChat } from "../../wallet/chat/connectChat.ts";
import { nodeWebSocket } from "../../wallet/chat/nodeWebSocket.ts";
import { registerUsername } from "../../wallet/chat/registerUsername.ts";
import { sendChatTransfer } from "../../wallet/chat/sendChatTransfer.ts";
import { createInvoice } from "../../wallet/invoices/createInvoice.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";
import { CSV_HEADER } from "../../web/src/wallet/history-csv.ts";
import { localAccount, ROLE } from "../kit/accounts.ts";
import { seriousAxeViolations, sidewaysOverflow } from "../kit/page-checks.ts";
import { startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const FORMULA_MEMO = '=HYPERLINK("http://evil.example","lunch, paid")';

let stack: WebStack;
let aliceContext: BrowserContext;
let merchantContext: BrowserContext;
let alicePage: Page;
let merchantPage: Page;
let alice: GramClient;
let bob: GramClient;
let merchant: GramClient;
let bobChat: ChatConnection;
const problems: { errors: string[]; cspViolations: string[] }[] = [];

async function clientFor(role: number): Promise<GramClient> {
  const { chain } = stack;
  return createGramClient({
    publicClient: createPublicClient({ transport: http(chain.url) }),
    walletClient: createWalletClient({ account: localAccount(role), transport: http(chain.url) }),
    chainId: chain.chainId,
    contracts: { token: chain.token, escrow: chain.escrow },
    stores: memoryWalletStores(),
  });
}

async function openAs(context: BrowserContext, demo: string, route: string) {
  const page = await context.newPage();
  problems.push(await watchPage(page));
  await page.goto(stack.appUrl);
  await page.getByTestId(`demo-${demo}`).click();
  await page.getByTestId("signed-in-as").waitFor();
  await page.goto(`${stack.appUrl}#${route}`);
  return page;
}

const units = async (page: Page, testId: string) =>
  BigInt((await page.getByTestId(testId).getAttribute("data-units")) ?? "-1");
const mined = (client: GramClient, hash: Hash) => client.publicClient.waitForTransactionReceipt({ hash });
const paymentOf = (id: Hex) =>
  alice.publicClient.readContract({
    address: stack.chain.escrow,
    abi: merchantEscrowAbi,
    functionName: "paymentOf",
    args: [id],
  });
const escrowBalance = () =>
  alice.publicClient.readContract({
    address: stack.chain.escrow,
    abi: merchantEscrowAbi,
    functionName: "balanceOf",
    args: [merchant.account?.address as Hex, stack.chain.token],
  });

/** The smallest CSV reader: quoted fields with doubled quotes, CRLF or LF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  [alice, bob, merchant] = await Promise.all([clientFor(ROLE.payer), clientFor(ROLE.other), clientFor(ROLE.merchant)]);
  bobChat = await connectChat({
    url: stack.node.url,
    account: localAccount(ROLE.other),
    chainId: stack.chain.chainId,
    escrow: stack.chain.escrow,
    webSocket: nodeWebSocket,
    sync: false,
  });
  await registerUsername(bobChat, "bobby");
  aliceContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  merchantContext = await stack.browser.newContext({ viewport: { width: 360, height: 740 } });
  [alicePage, merchantPage] = await Promise.all([
    openAs(aliceContext, "alice", "/wallet"),
    openAs(merchantContext, "merchant", "/merchant"),
  ]);
}, 180_000);

afterAll(async () => {
  await bobChat?.close();
  await aliceContext?.close();
  await merchantContext?.close();
  await stack?.close();
});

describe("the wallet screen", () => {
  it("shows the chain's balance, then a payment from bob live: amount, his name and his memo", async () => {
    const page = alicePage;
    await page.getByTestId("stream-state").and(page.locator('[data-state="live"]')).waitFor();
    const before = await readBalance(alice);
    await expect.poll(() => units(page, "chain-balance")).toBe(before.balance.units);
    const sent = await sendChatTransfer(bob, bobChat, {
      to: { type: "direct", address: alice.account?.address as Hex },
      recipient: alice.account?.address as Hex,
      amount: "12.345678901",
      memo: FORMULA_MEMO,
    });
    await mined(bob, sent.hash);
    const after = await readBalance(alice);
    expect(after.balance.units - before.balance.units).toBe(12_345_678_901n);
    // No reload: the stream brought it.
    await expect.poll(() => units(page, "chain-balance"), { timeout: 15_000 }).toBe(after.balance.units);
    await expect.poll(() => units(page, "node-confirmed"), { timeout: 15_000 }).toBe(after.balance.units);
    const row = page.locator(`[data-testid="history-row"][data-tx="${sent.hash}"]`);
    await row.waitFor();
    await expect(row.getByTestId("row-amount").getAttribute("data-units")).resolves.toBe("12345678901");
    await expect(row.getByTestId("row-amount").textContent()).resolves.toBe("+12.345678901 GRAM");
    await expect(row.getByTestId("row-name").textContent()).resolves.toBe("~bobby");
    await expect.poll(() => row.getByTestId("row-memo").textContent(), { timeout: 15_000 }).toBe(FORMULA_MEMO);
    await expect(row.getByTestId("row-status").getAttribute("data-confirmed")).resolves.toBe("true");
    // Newest first.
    await expect(page.getByTestId("history-row").first().getAttribute("data-tx")).resolves.toBe(sent.hash);
    await page.screenshot({ path: join(SCREENSHOTS, "wallet-home-desktop.png"), fullPage: true });
  });

  it("exports the history as CSV: the CLI's columns, exact amounts, the formula memo defused", async () => {
    const page = alicePage;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toMatch(/^gram-history-0x[0-9a-f]{8}\.csv$/);
    const rows = parseCsv(await readFile((await download.path()) as string, "utf8"));
    expect(rows[0]).toEqual(CSV_HEADER);
    const shown = await page.getByTestId("history-row").evaluateAll((lines) =>
      lines.map((line) => ({
        tx: line.getAttribute("data-tx"),
        units: line.querySelector('[data-testid="row-amount"]')?.getAttribute("data-units") ?? null,
      })),
    );
    const body = rows.slice(1);
    expect(body.map((r) => r[6])).toEqual(shown.map((s) => s.tx));
    const column = (name: string) => CSV_HEADER.indexOf(name);
    for (const [i, r] of body.entries()) {
      const expected = shown[i]?.units;
      expect(r[column("amount")]).toBe(expected === null ? "" : formatAmount(BigInt(expected as string), 9));
    }
    const bobs = body.find((r) => r[column("memo")]?.includes("HYPERLINK")) as string[];
    expect(bobs[column("memo")]).toBe(`'${FORMULA_MEMO}`);
    expect(bobs[column("amount")]).toBe("12.345678901");
    expect(bobs[column("name")]).toBe("~bobby");
    expect(bobs[column("direction")]).toBe("in");
    // No cell starts a formula.
    for (const cell of body.flat()) expect(cell).not.toMatch(/^[=+@\t\r]/);
  });

  it("fits 360 px with no sideways scroll; screenshots at 360 px, light and dark", async () => {
    const page = alicePage;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SCREENSHOTS, "wallet-home-360-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: join(SCREENSHOTS, "wallet-home-360.png"), fullPage: true });
    expect(await sidewaysOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe("the merchant screen", () => {
  let first: { id: Hex };
  let second: { id: Hex };

  async function paidInvoice(title: string, amount: string) {
    const created = await createInvoice(merchant, { title, items: [], amount, maxTip: "1" });
    const paid = await payInvoice(alice, {
      invoice: created.invoice,
      merchantSignature: created.merchantSignature,
      tip: "0.5",
    });
    await mined(alice, paid.hash);
    return created;
  }

  async function act(page: Page, id: Hex, action: string, amount?: string) {
    const row = page.locator(`[data-testid="invoice"][data-id="${id}"]`);
    await row.getByTestId(action).click();
    const sheet = page.getByTestId("confirm-sheet");
    await sheet.waitFor();
    if (amount !== undefined) await sheet.getByLabel(/Amount to/).fill(amount);
    await sheet.getByTestId("sheet-review").click();
    await sheet.getByTestId("summary").waitFor();
    await expect(sheet.getByTestId("summary").getAttribute("data-action")).resolves.toBe(action);
    return sheet;
  }

  async function sign(page: Page) {
    const sheet = page.getByTestId("confirm-sheet");
    await sheet.getByTestId("sheet-sign").click();
    await expect(sheet.getByTestId("sheet-result").getAttribute("data-status")).resolves.toBe("success");
    await sheet.getByTestId("sheet-close").click();
  }

  const stateOf = (page: Page, id: Hex) =>
    page.locator(`[data-testid="invoice"][data-id="${id}"]`).getAttribute("data-state", { timeout: 15_000 });

  it("lists invoices created and paid from Node as paid, and captures one: the chain agrees", async () => {
    const page = merchantPage;
    first = await paidInvoice("Noodles", "5");
    second = await paidInvoice("Tea", "2.25");
    await expect.poll(() => stateOf(page, first.id), { timeout: 15_000 }).toBe("paid");
    await expect.poll(() => stateOf(page, second.id), { timeout: 15_000 }).toBe("paid");
    const sheet = await act(page, first.id, "capture");
    await expect(sheet.getByTestId("fact-held").locator("dd").textContent()).resolves.toBe("5 GRAM");
    await expect(sheet.getByTestId("summary-amount").locator("dd").textContent()).resolves.toBe("5 GRAM");
    await page.screenshot({ path: join(SCREENSHOTS, "merchant-capture-360.png") });
    await sign(page);
    await expect.poll(() => stateOf(page, first.id), { timeout: 15_000 }).toBe("captured");
    const onChain = await paymentOf(first.id);
    expect(onChain.held).toBe(0n);
    expect(onChain.refundable).toBe(5_000_000_000n);
  });

  it("voids another: the payer gets the amount back on the chain", async () => {
    const page = merchantPage;
    const before = (await readBalance(alice)).balance.units;
    await act(page, second.id, "void");
    await sign(page);
    expect((await readBalance(alice)).balance.units - before).toBe(2_250_000_000n);
    expect((await paymentOf(second.id)).held).toBe(0n);
    await expect.poll(() => stateOf(page, second.id), { timeout: 15_000 }).toBe("voided");
  });

  it("refunds part of the captured one", async () => {
    const page = merchantPage;
    const before = (await readBalance(alice)).balance.units;
    await act(page, first.id, "refund", "1.5");
    await sign(page);
    expect((await readBalance(alice)).balance.units - before).toBe(1_500_000_000n);
    expect((await paymentOf(first.id)).refundable).toBe(3_500_000_000n);
  });

  it("withdraws the escrow balance to the wallet", async () => {
    const page = merchantPage;
    const held = await escrowBalance();
    expect(held).toBeGreaterThan(0n);
    await expect.poll(() => units(page, "escrow-balance"), { timeout: 15_000 }).toBe(held);
    const before = (await readBalance(merchant)).balance.units;
    await page.getByTestId("withdraw").click();
    const sheet = page.getByTestId("confirm-sheet");
    await sheet.getByTestId("sheet-review").click();
    await expect(sheet.getByTestId("summary-amount").locator("dd").textContent()).resolves.toBe(
      `${formatAmount(held, 9)} GRAM`,
    );
    await sign(page);
    expect(await escrowBalance()).toBe(0n);
    const received = (await readBalance(merchant)).balance.units - before;
    const feeBps = BigInt(
      await alice.publicClient.readContract({
        address: stack.chain.escrow,
        abi: merchantEscrowAbi,
        functionName: "withdrawFeeBps",
      }),
    );
    expect(received).toBeGreaterThan(0n);
    expect(held - received).toBeLessThanOrEqual((held * feeBps) / 10_000n + 1n);
    await expect.poll(() => units(page, "escrow-balance"), { timeout: 15_000 }).toBe(0n);
    await page.screenshot({ path: join(SCREENSHOTS, "merchant-home-360.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, "merchant-home-desktop.png"), fullPage: true });
    expect(await sidewaysOverflow(page)).toBe(0);
  });

  it("has no serious or critical axe-core violation on either screen, light and dark; no console error, no CSP violation", async () => {
    for (const [page, testId] of [
      [alicePage, "history"],
      [merchantPage, "invoices"],
    ] as const) {
      await page.getByTestId(testId).waitFor();
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        const serious = await seriousAxeViolations(page);
        expect({ colorScheme, serious }).toEqual({ colorScheme, serious: [] });
      }
    }
    for (const seen of problems) expect(seen).toEqual({ errors: [], cspViolations: [] });
  });
});
