// The chat screens' part of `npm run bench:web`: a demo account signed in in Chromium with its conversation
// open, and a sender in Node (the wallet library over `ws`, the benchmark's funded key). Measures:
//   1. message received → rendered: from the WebSocket frame's arrival in the page (a wrapper installed
//      before the app runs records each frame's time) to the message's element in the DOM (a
//      MutationObserver), both on the page's clock; also the sender's call → rendered, end to end;
//   2. payment made → shown confirmed on the receiver's screen: from `sendChatTransfer` resolving in Node
//      (the transfer mined — the chain automines — and its message stored by the hub) to the card's
//      `data-state` turning "confirmed", on the wall clock both sides share (same machine).
// Targets (issue 13): ≤ 50 ms and ≤ 500 ms, p50.
import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createGramClient } from "../../wallet/actions/client.ts";
import { connectChat } from "../../wallet/chat/connectChat.ts";
import { nodeWebSocket } from "../../wallet/chat/nodeWebSocket.ts";
import { sendChatTransfer } from "../../wallet/chat/sendChatTransfer.ts";
import { sendText } from "../../wallet/chat/sendText.ts";
import { memoryWalletStores } from "../../wallet/wallet-stores.ts";
import { percentile } from "./report.ts";
import type { WalletBenchChain } from "./wallet-setup.ts";

/** The demo account the benchmark signs in as (Hardhat's index 1: it needs no funds, it only receives). */
export const CHAT_BENCH_DEMO = "reader=1";

export interface ChatBenchResult {
  messages: number;
  /** Frame arrival → element in the DOM, ms. */
  receivedToRendered: number[];
  /** Sender's `sendText` call → element in the DOM, ms. */
  sentToRendered: number[];
  payments: number;
  /** `sendChatTransfer` resolved → card shown confirmed, ms. */
  paidToConfirmed: number[];
  /** `sendChatTransfer` resolved → card first shown (any state), ms. */
  paidToShown: number[];
}

interface PageTimes {
  frames: Record<string, number>;
  rendered: Record<string, number>;
  confirmed: Record<string, number>;
}

/** Runs in the page before the app: records frames' arrival and elements' appearance (epoch ms). */
function instrument() {
  const now = () => performance.timeOrigin + performance.now();
  const times = { frames: {}, rendered: {}, confirmed: {} } as PageTimes;
  (window as unknown as { __gramBench: PageTimes }).__gramBench = times;
  const Native = window.WebSocket;
  class Timed extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        const at = now();
        const text = typeof event.data === "string" ? event.data : "";
        const id = /"id":"(0x[0-9a-f]{64})"/.exec(text)?.[1];
        if (id !== undefined && times.frames[id] === undefined) times.frames[id] = at;
      });
    }
  }
  window.WebSocket = Timed as typeof WebSocket;
  const seen = (element: Element) => {
    const id = element.getAttribute("data-message-id");
    if (id === null) return;
    if (times.rendered[id] === undefined) times.rendered[id] = now();
    if (element.querySelector('[data-state="confirmed"]') !== null && times.confirmed[id] === undefined) {
      times.confirmed[id] = now();
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const item = target?.closest("[data-message-id]");
      if (item) seen(item);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches("[data-message-id]")) seen(node);
        for (const inner of node.querySelectorAll("[data-message-id]")) seen(inner);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
}

async function waitFor(page: Page, what: keyof PageTimes, id: Hex, timeoutMs = 10_000): Promise<number> {
  const handle = await page.waitForFunction(
    ([key, message]) =>
      (window as unknown as { __gramBench: PageTimes }).__gramBench[key as keyof PageTimes][message as string],
    [what, id] as const,
    { timeout: timeoutMs, polling: 5 },
  );
  return (await handle.jsonValue()) as number;
}

const wall = () => performance.timeOrigin + performance.now();

export async function benchChat({
  browser,
  appUrl,
  nodeUrl,
  chain,
  messages,
  payments,
}: {
  browser: Browser;
  appUrl: string;
  nodeUrl: string;
  chain: WalletBenchChain;
  messages: number;
  payments: number;
}): Promise<ChatBenchResult> {
  const sender = privateKeyToAccount(chain.user.privateKey);
  const chainDef = defineChain({
    id: chain.chainId,
    name: "Hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [chain.url] } },
  });
  const client = await createGramClient({
    publicClient: createPublicClient({ chain: chainDef, transport: http(chain.url) }),
    walletClient: createWalletClient({ chain: chainDef, transport: http(chain.url), account: sender }),
    chainId: chain.chainId,
    contracts: { token: chain.token, escrow: chain.escrow },
    stores: memoryWalletStores(),
  });
  const chat = await connectChat({
    url: nodeUrl,
    account: sender,
    chainId: chain.chainId,
    escrow: chain.escrow,
    webSocket: nodeWebSocket,
    sync: false,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(appUrl);
    await page.getByTestId("demo-reader").click();
    await page.getByTestId("chat-connection").waitFor();
    const reader = (await page.getByTestId("signed-in-as").getAttribute("title")) as Hex;
    await page.evaluate((peer) => (location.hash = `#/chat/${peer}`), sender.address);
    await page.getByTestId("messages").waitFor();
    const to = { type: "direct" as const, address: reader };

    const result: ChatBenchResult = {
      messages,
      receivedToRendered: [],
      sentToRendered: [],
      payments,
      paidToConfirmed: [],
      paidToShown: [],
    };
    // One warm-up message each (first render of a card, first token read), not counted.
    for (let i = -1; i < messages; i++) {
      const started = wall();
      const sent = await sendText(chat, to, `bench message ${i}`);
      const id = sent.envelope.id;
      const rendered = await waitFor(page, "rendered", id);
      const frame = await waitFor(page, "frames", id);
      if (i < 0) continue;
      result.receivedToRendered.push(rendered - frame);
      result.sentToRendered.push(rendered - started);
    }
    for (let i = -1; i < payments; i++) {
      const paid = await sendChatTransfer(client, chat, {
        to,
        recipient: reader,
        amount: "0.01",
        memo: `bench payment ${i}`,
        confirm: async () => true,
      });
      const at = wall();
      const id = paid.message.envelope.id;
      const shown = await waitFor(page, "rendered", id);
      const confirmed = await waitFor(page, "confirmed", id);
      if (i < 0) continue;
      result.paidToShown.push(shown - at);
      result.paidToConfirmed.push(confirmed - at);
    }
    return result;
  } finally {
    await context.close();
    await chat.close();
  }
}

/** The lines `npm run bench:web` prints. */
export function chatReport(result: ChatBenchResult): string[] {
  const p = (values: number[], q: number) => percentile(values, q).toFixed(1);
  const verdict = (values: number[], target: number) =>
    percentile(values, 50) <= target ? `within the ${target} ms target` : `OVER the ${target} ms target`;
  return [
    `Chat (${result.messages} messages, ${result.payments} payments; p50 / p90 / max):`,
    `  message received → rendered:   ${p(result.receivedToRendered, 50)} / ${p(result.receivedToRendered, 90)} / ${p(result.receivedToRendered, 100)} ms (${verdict(result.receivedToRendered, 50)})`,
    `  message sent (Node) → rendered: ${p(result.sentToRendered, 50)} / ${p(result.sentToRendered, 90)} / ${p(result.sentToRendered, 100)} ms`,
    `  payment made → card shown:      ${p(result.paidToShown, 50)} / ${p(result.paidToShown, 90)} / ${p(result.paidToShown, 100)} ms`,
    `  payment made → shown confirmed: ${p(result.paidToConfirmed, 50)} / ${p(result.paidToConfirmed, 90)} / ${p(result.paidToConfirmed, 100)} ms (${verdict(result.paidToConfirmed, 500)})`,
  ];
}
