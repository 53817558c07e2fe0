// The web app end to end, two people in two browser contexts of Debian's Chromium against the real stack
// (chain, gram-node with its relayer, the built app): alice (demo-alice) and bob (demo-bob), the merchant
// in a third context (demo-merchant, on #/merchant) and sending its invoice from Node with the wallet
// library. Each test crosses the parts: the conversation's Pay and Request open the pay sheet, what is
// signed there arrives on the OTHER person's screen as "confirmed in block N" (N the receipt's block), and
// the chain, read from Node, moved exactly the amount. Then an account imported into a vault chats, and a
// reload brings it back locked with the same conversation. Screenshots e2e-*.png at 360 px; no console
// error and no CSP violation on any page.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hash, type Hex, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { type ChatConnection, connectChat } from "../../wallet/chat/connectChat.ts";
import { nodeWebSocket } from "../../wallet/chat/nodeWebSocket.ts";
import { sendInvoice } from "../../wallet/chat/sendInvoice.ts";
import { createInvoice } from "../../wallet/invoices/createInvoice.ts";
import { createMnemonic } from "../../wallet/keys/createMnemonic.ts";
import { deriveAccount } from "../../wallet/keys/deriveAccount.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";
import { localAccount, ROLE } from "../kit/accounts.ts";
import { type PageProblems, startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const GRAM = 1_000_000_000n;
const alice = localAccount(ROLE.payer).address;
const bob = localAccount(ROLE.other).address;
const merchantKey = localAccount(ROLE.merchant);
const merchant = merchantKey.address;
const PASSWORD = "e2e vault password, long enough";

let stack: WebStack;
const contexts: BrowserContext[] = [];
const problems: { who: string; found: PageProblems }[] = [];
let alicePage: Page;
let bobPage: Page;
let merchantPage: Page;
let merchantClient: GramClient;
let merchantChat: ChatConnection;

const balance = (owner: Address) => stack.chain.tokenBalance(owner);
const blockOf = async (hash: Hash) => (await stack.chain.client.getTransactionReceipt({ hash })).blockNumber;

async function newPage(who: string, viewport = { width: 360, height: 740 }) {
  const context = await stack.browser.newContext({ viewport });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  problems.push({ who, found: await watchPage(page) });
  return page;
}

async function signIn(who: "alice" | "bob" | "merchant") {
  const page = await newPage(who);
  await page.goto(stack.appUrl);
  await page.getByTestId(`demo-${who}`).click();
  await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe(`${who} (demo)`);
  return page;
}

const go = (page: Page, hash: string) => page.evaluate((to) => (location.hash = to), hash);
const field = (page: Page, testid: string) => page.getByTestId(testid).locator("dd").textContent();
const paymentCard = (page: Page, text: string) => page.getByTestId("payment-card").filter({ hasText: text });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `e2e-${name}-360.png`) });

/** Presses Sign on each summary the sheet shows (an invoice may need two), then waits for the chain's word. */
async function signAndWait(page: Page): Promise<Hash> {
  for (let step = 1; ; step++) {
    await page.getByTestId("pay-sign").click();
    const sent = page.locator('[data-testid="pay-sheet"][data-step="sent"]');
    await sent.or(page.getByTestId("pay-summary").filter({ hasText: `(step ${step + 1})` })).waitFor();
    if ((await sent.count()) > 0) break;
  }
  await page.locator('[data-testid="result-status"][data-state="confirmed"]').waitFor({ timeout: 30_000 });
  return (await field(page, "result-hash")) as Hash;
}

async function done(page: Page) {
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("pay-sheet").waitFor({ state: "detached" });
}

/** The card's status on a person's screen: exactly "confirmed in block N" ("confirmed: invoice paid in block N"). */
async function expectConfirmedOn(page: Page, text: string, block: bigint, what = "") {
  const card = paymentCard(page, text).and(page.locator('[data-state="confirmed"]'));
  await card.waitFor();
  await expect(card.getByTestId("payment-status").textContent()).resolves.toBe(`confirmed${what} in block ${block}`);
}

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  const { chain } = stack;
  merchantClient = await createGramClient({
    publicClient: createPublicClient({ transport: http(chain.url) }),
    walletClient: createWalletClient({ account: merchantKey, transport: http(chain.url) }),
    chainId: chain.chainId,
    contracts: { token: chain.token, escrow: chain.escrow },
    stores: memoryWalletStores(),
  });
  merchantChat = await connectChat({
    url: stack.node.url,
    account: merchantKey,
    chainId: chain.chainId,
    escrow: chain.escrow,
    webSocket: nodeWebSocket,
    sync: false,
  });
  [alicePage, bobPage, merchantPage] = await Promise.all([signIn("alice"), signIn("bob"), signIn("merchant")]);
  await go(alicePage, `#/chat/${bob}`);
  await go(bobPage, `#/chat/${alice}`);
  await go(merchantPage, "#/merchant");
  await alicePage.getByTestId("pay-button").waitFor();
  await bobPage.getByTestId("composer").waitFor();
}, 180_000);
afterAll(async () => {
  await merchantChat?.close();
  for (const context of contexts) await context.close().catch(() => {});
  await stack?.close();
});

describe("two people in two browsers", () => {
  it("alice pays bob from the conversation: the summary is what she signs, bob's screen shows it confirmed in the receipt's block, bob's balance rose by exactly the amount", async () => {
    const before = await balance(bob);
    await alicePage.getByTestId("pay-button").click();
    await alicePage.locator('[data-testid="pay-sheet"][data-step="form"]').waitFor();
    await alicePage.getByLabel(/^Amount/).fill("3.25");
    await alicePage.getByLabel(/^Memo/).fill("dinner on friday");
    await alicePage.getByRole("button", { name: "Review" }).click();
    await alicePage.getByTestId("pay-summary").waitFor();
    await expect(field(alicePage, "summary-action")).resolves.toBe("Token transfer");
    await expect(field(alicePage, "summary-amount")).resolves.toBe("3.25 GRAM");
    await expect(field(alicePage, "summary-recipient")).resolves.toContain(bob);
    const hash = await signAndWait(alicePage);
    await done(alicePage);
    const block = await blockOf(hash);
    await expectConfirmedOn(bobPage, "dinner on friday", block);
    await expect(paymentCard(bobPage, "dinner on friday").textContent()).resolves.toContain("3.25 GRAM");
    // Alice's own card of it, confirmed in the same block.
    await expectConfirmedOn(alicePage, "dinner on friday", block);
    expect(await balance(bob)).toBe(before + 3_250_000_000n);
    await shot(bobPage, "bob-sees-payment");
  });

  it("bob requests in the conversation, alice pays the request card: bob sees the payment confirmed and his request card paid; the chain moved exactly", async () => {
    const before = await balance(bob);
    const aliceBefore = await balance(alice);
    await bobPage.getByRole("button", { name: "Request" }).click();
    await bobPage.getByLabel(/Amount to ask/).fill("4.5");
    await bobPage.getByLabel("What for (optional)").fill("concert tickets");
    await bobPage.getByRole("button", { name: "Send request" }).click();
    await bobPage.getByTestId("request-card").filter({ hasText: "concert tickets" }).waitFor();

    const request = alicePage.getByTestId("request-card").filter({ hasText: "concert tickets" });
    await request.getByTestId("pay-card").click();
    await alicePage.locator('[data-testid="pay-sheet"][data-step="form"]').waitFor();
    await expect(alicePage.getByTestId("pay-sheet").getByRole("heading", { level: 2 }).textContent()).resolves.toBe(
      "Pay a request",
    );
    await alicePage.getByRole("button", { name: "Review" }).click();
    await expect(field(alicePage, "summary-amount")).resolves.toBe("4.5 GRAM");
    await expect(field(alicePage, "summary-recipient")).resolves.toContain(bob);
    const hash = await signAndWait(alicePage);
    await done(alicePage);
    const block = await blockOf(hash);

    await expectConfirmedOn(bobPage, "concert tickets", block);
    const asked = bobPage.getByTestId("request-card").filter({ hasText: "concert tickets" });
    const status = asked.locator('[data-testid="card-status"][data-state="confirmed"]');
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe(`Paid: confirmed in block ${block}`);
    // On alice's side the card is paid too, and offers no second payment.
    await request.locator('[data-testid="card-status"][data-state="confirmed"]').waitFor();
    await expect(request.getByTestId("pay-card").count()).resolves.toBe(0);
    expect(await balance(bob)).toBe(before + 4_500_000_000n);
    expect(await balance(alice)).toBe(aliceBefore - 4_500_000_000n);
    await shot(bobPage, "bob-request-paid");
  });

  it("the merchant's invoice in alice's chat, paid with a suggested tip: the escrow holds the amount, the merchant got the tip, both screens say paid", async () => {
    const created = await createInvoice(merchantClient, {
      title: "Two flat whites",
      items: [{ name: "Flat white", quantity: "2", price: "4.5" }],
      amount: "9",
      maxTip: "2",
    });
    const merchantBefore = await balance(merchant);
    const aliceBefore = await balance(alice);
    await sendInvoice(merchantChat, { to: { type: "direct", address: alice }, invoice: created });

    await go(alicePage, `#/chat/${merchant}`);
    const card = alicePage.getByTestId("invoice-card").filter({ hasText: "Two flat whites" });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain("Tip up to 2 GRAM");
    await card.getByTestId("pay-card").click();
    const tips = alicePage.getByRole("group", { name: /Tip/ });
    await tips.waitFor();
    await expect(tips.locator("label").allTextContents()).resolves.toEqual([
      "No tip",
      "0.45 GRAM",
      "0.9 GRAM",
      "1.35 GRAM",
      "Other",
    ]);
    await alicePage.getByLabel("0.9 GRAM", { exact: true }).check();
    await shot(alicePage, "alice-invoice-tip");
    await alicePage.getByRole("button", { name: "Review" }).click();
    await alicePage.getByTestId("pay-summary").waitFor();
    await expect(field(alicePage, "summary-amount")).resolves.toBe("9 GRAM");
    await expect(field(alicePage, "summary-tip")).resolves.toBe("0.9 GRAM");
    await expect(field(alicePage, "summary-recipient")).resolves.toContain(merchant);
    await shot(alicePage, "alice-invoice-tip-summary");
    const hash = await signAndWait(alicePage);
    await shot(alicePage, "alice-invoice-paid");
    await done(alicePage);

    const payment = (await stack.chain.client.readContract({
      address: stack.chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "paymentOf",
      args: [created.id as Hex],
    })) as { held: bigint };
    expect(payment.held).toBe(9n * GRAM);
    expect(await balance(merchant)).toBe(merchantBefore + (9n * GRAM) / 10n);
    expect(await balance(alice)).toBe(aliceBefore - 9n * GRAM - (9n * GRAM) / 10n);
    // Alice's payment card (amount and tip) confirmed in the receipt's block; the invoice card paid.
    const block = await blockOf(hash);
    await expectConfirmedOn(alicePage, "9.9 GRAM", block, ": invoice paid");
    const paid = card.locator('[data-testid="card-status"][data-state="confirmed"]');
    await expect(paid.textContent()).resolves.toBe(`Paid by you: confirmed: invoice paid in block ${block}`);
    await expect(card.getByTestId("pay-card").count()).resolves.toBe(0);
    await shot(alicePage, "alice-invoice-card-paid");
    // The merchant's screen lists it as paid (the node indexed it).
    const row = merchantPage.locator(`[data-testid="invoice"][data-id="${created.id}"]`);
    await expect.poll(() => row.getAttribute("data-state", { timeout: 15_000 }), { timeout: 15_000 }).toBe("paid");
    await shot(merchantPage, "merchant-invoice-paid");
  });

  it("alice pays bob gasless from the conversation: bob's screen shows it confirmed, alice spent no ETH", async () => {
    await go(alicePage, `#/chat/${bob}`);
    const ethBefore = await stack.chain.client.getBalance({ address: alice });
    const before = await balance(bob);
    await alicePage.getByTestId("pay-button").click();
    await alicePage.locator('[data-testid="pay-sheet"][data-step="form"]').waitFor();
    await alicePage.getByLabel(/^Amount/).fill("1.75");
    await alicePage.getByLabel(/^Memo/).fill("gasless coffee");
    await alicePage.getByLabel(/Gasless/).check();
    await alicePage.getByRole("button", { name: "Review" }).click();
    await expect(field(alicePage, "summary-action")).resolves.toMatch(/^Gasless transfer/);
    await expect(field(alicePage, "summary-amount")).resolves.toBe("1.75 GRAM");
    await expect(field(alicePage, "summary-recipient")).resolves.toContain(bob);
    const hash = await signAndWait(alicePage);
    await done(alicePage);
    await expectConfirmedOn(bobPage, "gasless coffee", await blockOf(hash));
    expect(await balance(bob)).toBe(before + 1_750_000_000n);
    expect(await stack.chain.client.getBalance({ address: alice })).toBe(ethBefore);
    // The relayer sent it, not alice.
    const sent = await stack.chain.client.getTransaction({ hash });
    expect(sent.from.toLowerCase()).not.toBe(alice.toLowerCase());
    await shot(bobPage, "bob-sees-gasless");
  });

  it("an account imported into a vault chats with alice; a reload comes back locked, a wrong password is refused, the right one shows the same conversation", async () => {
    const phrase = createMnemonic();
    const imported = deriveAccount({ mnemonic: phrase, index: 0 }).address;
    const page = await newPage("vault");
    await page.goto(`${stack.appUrl}#/keys/import`);
    await page.getByLabel("Recovery phrase", { exact: true }).check();
    await page.getByLabel("Recovery phrase (12 or 24 words)").fill(phrase);
    await page.getByLabel("A password for this device").fill(PASSWORD);
    await page.getByLabel("Repeat the password").fill(PASSWORD);
    await page.getByRole("button", { name: "Import" }).click();
    await page.getByTestId("signed-in-as").waitFor({ timeout: 30_000 });

    await go(page, `#/chat/${alice}`);
    await page.getByTestId("composer").fill("hello from my new vault");
    await page.getByTestId("composer").press("Enter");
    await page
      .locator('[data-testid="message"]:not([data-queued])')
      .filter({ hasText: "hello from my new vault" })
      .waitFor();
    // Alice gets it, from the imported address.
    await go(alicePage, `#/chat/${imported}`);
    await alicePage.getByTestId("message").filter({ hasText: "hello from my new vault" }).waitFor();
    await alicePage.getByTestId("composer").fill("welcome!");
    await alicePage.getByTestId("composer").press("Enter");
    await page.getByTestId("message").filter({ hasText: "welcome!" }).waitFor();

    await page.reload();
    await page.getByTestId("unlock").waitFor();
    await expect(page.getByTestId("signed-in-as").count()).resolves.toBe(0);
    await page.getByTestId("unlock-password").fill("not the password, but long");
    await page.getByTestId("unlock").click();
    await expect(page.getByTestId("unlock-error").textContent()).resolves.toContain("wrong password");
    await expect(page.getByTestId("signed-in-as").count()).resolves.toBe(0);
    await page.getByTestId("unlock-password").fill(PASSWORD);
    await page.getByTestId("unlock").click();
    await page.getByTestId("signed-in-as").waitFor({ timeout: 30_000 });
    await go(page, `#/chat/${alice}`);
    for (const text of ["hello from my new vault", "welcome!"]) {
      await page.getByTestId("message").filter({ hasText: text }).waitFor();
    }
    await expect(page.getByTestId("message").filter({ hasText: "hello from my new vault" }).count()).resolves.toBe(1);
    await shot(page, "vault-after-reload");
  });

  it("no page logged a console error or met a CSP violation", () => {
    for (const { who, found } of problems) expect({ who, ...found }).toEqual({ who, errors: [], cspViolations: [] });
  });
});
