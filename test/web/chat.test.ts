// The chat screens in Debian's Chromium against the real stack: alice and bob in two browser contexts
// (demo accounts), bob also driven from Node with the wallet library (connectChat over `ws`). Chat both
// ways with unread counts and a registered @name; a payment made from Node shows on alice's screen
// pending, then "confirmed in block N"; a forged payment card (a transfer that pays someone else) and a
// replayed one (a second message claiming the same transfer) show NOT CONFIRMED with their reason; a
// request sent from alice's browser arrives at bob's Node client and its card parses; a message typed
// offline reaches bob once when the page is online again; a reload keeps the conversation. Screenshots
// at 360 px and on a desktop (one dark), and an axe-core scan.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, type Hash, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { cardOf } from "../../wallet/chat/cards.ts";
import { type ChatConnection, connectChat } from "../../wallet/chat/connectChat.ts";
import type { ChatEvent } from "../../wallet/chat/createChatListeners.ts";
import { nodeWebSocket } from "../../wallet/chat/nodeWebSocket.ts";
import { sendChatTransfer } from "../../wallet/chat/sendChatTransfer.ts";
import { sendPayment } from "../../wallet/chat/sendPayment.ts";
import type { ChatMessage } from "../../wallet/chat/verifyIncoming.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";
import { localAccount, ROLE } from "../kit/accounts.ts";
import { seriousAxeViolations, sidewaysOverflow } from "../kit/page-checks.ts";
import { type PageProblems, startWebStack, type WebStack, watchPage } from "../kit/web-stack.ts";

const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const GRAM = 1_000_000_000n;
const aliceKey = localAccount(ROLE.payer);
const bobKey = localAccount(ROLE.other);
const merchant = localAccount(ROLE.merchant).address;
const alice = aliceKey.address;
const bob = bobKey.address;

let stack: WebStack;
let aliceContext: BrowserContext;
let bobContext: BrowserContext;
let alicePage: Page;
let bobPage: Page;
let aliceProblems: PageProblems;
let bobProblems: PageProblems;
let bobChat: ChatConnection;
let bobClient: GramClient;
const bobGot: ChatMessage[] = [];
let firstPayment: Hash;

async function signIn(context: BrowserContext, who: "alice" | "bob") {
  const page = await context.newPage();
  const problems = await watchPage(page);
  await page.goto(stack.appUrl);
  await page.getByTestId(`demo-${who}`).click();
  await page.getByTestId("chat-connection").waitFor();
  return { page, problems };
}

const openChat = (page: Page, peer: string) => page.evaluate((hash) => (location.hash = hash), `#/chat/${peer}`);
const card = (page: Page, selector: string) => page.getByTestId("payment-card").filter({ hasText: selector });

beforeAll(async () => {
  stack = await startWebStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  const { chain } = stack;
  const chainDef = defineChain({
    id: chain.chainId,
    name: "Hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [chain.url] } },
  });
  bobClient = await createGramClient({
    publicClient: createPublicClient({ chain: chainDef, transport: http(chain.url), pollingInterval: 50 }),
    walletClient: createWalletClient({ chain: chainDef, transport: http(chain.url), account: bobKey }),
    chainId: chain.chainId,
    contracts: { token: chain.token, escrow: chain.escrow },
    stores: memoryWalletStores(),
  });
  bobChat = await connectChat({
    url: stack.node.url,
    account: bobKey,
    chainId: chain.chainId,
    escrow: chain.escrow,
    webSocket: nodeWebSocket,
    onEvent: (event: ChatEvent) => {
      if (event.type === "message" && !event.message.outgoing) bobGot.push(event.message);
    },
  });
  aliceContext = await stack.browser.newContext({ viewport: { width: 360, height: 740 } });
  bobContext = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
  ({ page: alicePage, problems: aliceProblems } = await signIn(aliceContext, "alice"));
  ({ page: bobPage, problems: bobProblems } = await signIn(bobContext, "bob"));
}, 180_000);
afterAll(async () => {
  await bobChat?.close();
  await aliceContext?.close();
  await bobContext?.close();
  await stack?.close();
});

describe("the chat screens", () => {
  it("alice registers @name; bob finds her by it; they chat both ways, with unread counts on the list", async () => {
    await alicePage.getByLabel(/Choose a username/).fill("alice_web");
    await alicePage.getByRole("button", { name: "Register" }).click();
    await alicePage.getByText("You are ~alice_web on this hub.").waitFor();

    await bobPage.getByLabel("New chat").fill("@alice_web");
    await bobPage.getByRole("button", { name: "Open" }).click();
    await expect(bobPage.getByTestId("conversation-title").textContent()).resolves.toBe("~alice_web");
    await bobPage.getByTestId("composer").fill("hi alice");
    await bobPage.getByTestId("composer").press("Enter");
    await bobPage.getByTestId("message").filter({ hasText: "hi alice" }).waitFor();

    // On alice's list: bob's chat, one unread, the last message.
    const row = alicePage.locator(`[data-testid="chat-row"][data-route="${bob.toLowerCase()}"]`);
    await row.filter({ hasText: "hi alice" }).waitFor();
    await expect(row.getByTestId("unread").textContent()).resolves.toBe("1 unread");
    await bobPage.getByTestId("composer").fill("lunch at 1?");
    await bobPage.getByTestId("composer").press("Enter");
    await row.filter({ hasText: "lunch at 1?" }).getByTestId("unread").filter({ hasText: "2 unread" }).waitFor();

    await row.click();
    await alicePage.getByTestId("message").filter({ hasText: "lunch at 1?" }).waitFor();
    await alicePage.getByTestId("composer").fill("sure, see you");
    await alicePage.keyboard.press("Enter");
    await bobPage.getByTestId("message").filter({ hasText: "sure, see you" }).waitFor();
    // Read: back on the list, no unread count.
    await alicePage.getByRole("link", { name: "Chats" }).first().click();
    await alicePage.getByTestId("chat-row").filter({ hasText: "sure, see you" }).waitFor();
    await expect(alicePage.getByTestId("unread").count()).resolves.toBe(0);
  });

  it("a payment bob makes from Node shows on alice's screen pending, then confirmed in block N", async () => {
    await openChat(alicePage, bob);
    await stack.chain.automine(false);
    try {
      const paid = await sendChatTransfer(bobClient, bobChat, {
        to: { type: "direct", address: alice },
        recipient: alice,
        amount: "1.5",
        memo: "for lunch",
        confirm: async () => true,
      });
      firstPayment = paid.hash;
      const shown = card(alicePage, "for lunch");
      await shown.and(alicePage.locator('[data-state="pending"]')).waitFor();
      await expect(shown.textContent()).resolves.toContain("1.5 GRAM");
      await alicePage.screenshot({ path: join(SCREENSHOTS, "chat-conversation-pending-360.png"), fullPage: true });
      await stack.chain.mine();
    } finally {
      await stack.chain.automine(true);
    }
    const receipt = await stack.chain.client.getTransactionReceipt({ hash: firstPayment });
    const confirmed = card(alicePage, "for lunch").and(alicePage.locator('[data-state="confirmed"]'));
    await confirmed.waitFor();
    await expect(confirmed.getByTestId("payment-status").textContent()).resolves.toBe(
      `confirmed in block ${receipt.blockNumber}`,
    );
    // The list's badge: the last message is a payment.
    await bobPage.getByTestId("message").filter({ hasText: "for lunch" }).waitFor();
  });

  it("a forged payment card (pays someone else) and a replayed one (a transfer already claimed) show NOT CONFIRMED and why", async () => {
    const elsewhere = await stack.chain.transfer(bob, merchant, GRAM);
    await sendPayment(bobChat, {
      to: { type: "direct", address: alice },
      token: stack.chain.token,
      amount: GRAM,
      recipient: alice,
      tx: elsewhere,
      memo: "forged",
    });
    await sendPayment(bobChat, {
      to: { type: "direct", address: alice },
      token: stack.chain.token,
      amount: (3n * GRAM) / 2n,
      recipient: alice,
      tx: firstPayment,
      memo: "replayed",
    });
    const forged = card(alicePage, "forged").and(alicePage.locator('[data-state="unconfirmed"]'));
    await forged.waitFor();
    await expect(forged.getAttribute("data-code")).resolves.toBe("PAYS_SOMEONE_ELSE");
    await expect(forged.getByTestId("payment-status").textContent()).resolves.toMatch(/^NOT CONFIRMED /);
    const replayed = card(alicePage, "replayed").and(alicePage.locator('[data-state="unconfirmed"]'));
    await replayed.waitFor();
    await expect(replayed.getAttribute("data-code")).resolves.toBe("DUPLICATE");
    await expect(replayed.getByTestId("payment-status").textContent()).resolves.toMatch(/^NOT CONFIRMED .*DUPLICATE/);
    // The genuine one stays confirmed.
    await card(alicePage, "for lunch").and(alicePage.locator('[data-state="confirmed"]')).waitFor();
  });

  it("a request sent from alice's browser reaches bob: its card parses (amount in base units, memo)", async () => {
    await alicePage.getByRole("button", { name: "Request" }).click();
    await alicePage.getByLabel(/Amount to ask/).fill("2.5");
    await alicePage.getByLabel("What for (optional)").fill("pizza");
    await alicePage.getByRole("button", { name: "Send request" }).click();
    await alicePage.getByTestId("request-card").filter({ hasText: "pizza" }).waitFor();
    await expect.poll(() => bobGot.some((m) => m.envelope.body.type === "request"), { timeout: 10_000 }).toBe(true);
    const request = bobGot.find((m) => m.envelope.body.type === "request") as ChatMessage;
    const parsed = cardOf(request, bob);
    expect(parsed).toMatchObject({ kind: "request", payee: alice, amount: (5n * GRAM) / 2n, memo: "pizza" });
    // Bob's screen offers to pay it (the pay sheet does the paying).
    await openChat(bobPage, alice);
    await bobPage.getByTestId("request-card").filter({ hasText: "pizza" }).getByTestId("pay-card").waitFor();
    await bobPage.screenshot({ path: join(SCREENSHOTS, "chat-conversation-desktop-dark.png"), fullPage: true });
  });

  it("a message typed offline is kept, then sent once when the page is online again", async () => {
    await aliceContext.setOffline(true);
    await alicePage.getByTestId("chat-connection").and(alicePage.locator('[data-state="offline"]')).waitFor();
    await alicePage.getByTestId("composer").fill("typed offline");
    await alicePage.getByTestId("composer").press("Enter");
    await alicePage.locator('[data-queued="true"]').filter({ hasText: "typed offline" }).waitFor();
    // Kept in the account's IndexedDB (a reload keeps it), with the id it will be sent under.
    const kept = await alicePage.evaluate(
      () =>
        new Promise<{ text: string; id: string }[]>((resolve, reject) => {
          const open = indexedDB.open("gram");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction("chat-view").objectStore("chat-view").getAll();
            all.onsuccess = () =>
              resolve((all.result as { outbox: { text: string; id: string }[] }[]).flatMap((r) => r.outbox));
            all.onerror = () => reject(all.error);
          };
        }),
    );
    expect(kept.map((q) => q.text)).toEqual(["typed offline"]);
    const queuedId = kept[0]?.id;
    await alicePage.waitForTimeout(500);
    expect(bobGot.filter((m) => textOf(m) === "typed offline")).toHaveLength(0);
    await aliceContext.setOffline(false);
    await expect.poll(() => bobGot.filter((m) => textOf(m) === "typed offline").length, { timeout: 15_000 }).toBe(1);
    await alicePage.locator('[data-queued="true"]').waitFor({ state: "detached" });
    // A reconnect (if the socket dropped) resyncs: still once.
    await alicePage.waitForTimeout(1_500);
    expect(bobGot.filter((m) => textOf(m) === "typed offline").map((m) => m.envelope.id)).toEqual([queuedId]);
    await expect(bobPage.getByTestId("message").filter({ hasText: "typed offline" }).count()).resolves.toBe(1);
  });

  it("bob creates a group with alice by her name; both see it and its messages; he adds the merchant", async () => {
    await bobPage.evaluate(() => (location.hash = "#/chats"));
    await bobPage.getByText("New group").click();
    await bobPage.getByLabel("Group name").fill("Friday pizza");
    await bobPage.getByLabel(/^Members/).fill("@alice_web");
    await bobPage.getByRole("button", { name: "Create group" }).click();
    await expect(bobPage.getByTestId("conversation-title").textContent()).resolves.toBe("GroupFriday pizza");
    await bobPage.getByTestId("composer").fill("pizza at 7?");
    await bobPage.getByTestId("composer").press("Enter");
    await alicePage.evaluate(() => (location.hash = "#/chats"));
    const row = alicePage.getByTestId("chat-row").filter({ hasText: "Friday pizza" });
    await row.filter({ hasText: "pizza at 7?" }).getByTestId("unread").waitFor();
    await row.click();
    await alicePage.getByTestId("message").filter({ hasText: "pizza at 7?" }).waitFor();
    // bob adds the merchant; both screens show the new member list (from the hub's group entry).
    await bobPage.getByText("Add members").click();
    await bobPage.getByLabel(/^People to add/).fill(merchant);
    await bobPage.getByRole("button", { name: "Add", exact: true }).click();
    for (const page of [bobPage, alicePage]) {
      await page
        .getByTestId("group-members")
        .filter({ hasText: merchant.slice(0, 6) })
        .waitFor();
    }
    // Adding someone already in is refused with the hub's reason.
    await bobPage.getByLabel(/^People to add/).fill("@alice_web");
    await bobPage.getByRole("button", { name: "Add", exact: true }).click();
    await expect(bobPage.getByRole("alert").textContent()).resolves.toContain("already in group");
  });

  it("a reload keeps the chat list and the conversation", async () => {
    await alicePage.reload();
    await alicePage.getByTestId("demo-alice").click();
    const row = alicePage.locator(`[data-testid="chat-row"][data-route="${bob.toLowerCase()}"]`);
    await row.filter({ hasText: "typed offline" }).waitFor();
    await row.click();
    for (const text of ["hi alice", "sure, see you", "typed offline"]) {
      await alicePage.getByTestId("message").filter({ hasText: text }).first().waitFor();
    }
    await expect(alicePage.getByTestId("message").filter({ hasText: "typed offline" }).count()).resolves.toBe(1);
    await card(alicePage, "for lunch").and(alicePage.locator('[data-state="confirmed"]')).waitFor();
    await card(alicePage, "forged").and(alicePage.locator('[data-state="unconfirmed"]')).waitFor();
    await alicePage.screenshot({ path: join(SCREENSHOTS, "chat-conversation-360.png"), fullPage: true });
  });

  it("fits 360 px and a desktop; screenshots of the list; no serious or critical axe-core violation", async () => {
    await alicePage.evaluate(() => (location.hash = "#/chats"));
    await alicePage.getByTestId("chat-list").waitFor();
    await alicePage.screenshot({ path: join(SCREENSHOTS, "chat-list-360.png"), fullPage: true });
    await bobPage.evaluate(() => (location.hash = "#/chats"));
    await bobPage.getByTestId("chat-list").waitFor();
    await bobPage.screenshot({ path: join(SCREENSHOTS, "chat-list-desktop-dark.png"), fullPage: true });
    for (const [page, route] of [
      [alicePage, "#/chats"],
      [alicePage, `#/chat/${bob}`],
      [bobPage, "#/chats"],
      [bobPage, `#/chat/${alice}`],
    ] as const) {
      await page.evaluate((hash) => (location.hash = hash), route);
      await page.getByTestId(route === "#/chats" ? "chat-list" : "messages").waitFor();
      expect({ route, overflow: await sidewaysOverflow(page) }).toEqual({ route, overflow: 0 });
      const serious = await seriousAxeViolations(page);
      expect({ route, serious }).toEqual({ route, serious: [] });
    }
    expect(aliceProblems.cspViolations).toEqual([]);
    expect(bobProblems).toEqual({ errors: [], cspViolations: [] });
  });
});

function textOf(message: ChatMessage) {
  return message.envelope.body.type === "text" ? message.envelope.body.text : undefined;
}
