// scripts/merchant-bot.ts as a merchant runs it: a child process signed in to the real node's chat hub,
// with a buyer driving `gram chat` as child processes against the same node and Hardhat chain. The buyer
// reads the menu, orders, pays the invoice card with a tip; the bot captures what the node confirms and
// refunds on request; a payment made while the bot is stopped is captured when it starts again. Against a
// lying hub (a test WebSocket server: the real hub cannot be made to lie), a forged "paid" status captures
// nothing. Everything is asserted on the chain.
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { type Address, type Hex, keccak256, parseUnits, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { signEnvelope } from "../../protocol/chat/sign.ts";
import { decodeInvoiceLink } from "../../protocol/links/invoice-link.ts";
import { localAccount, ROLE } from "../kit/accounts.ts";
import { type ChatStack, startChatStack } from "../kit/chat-stack.ts";
import { jsonOf, keyMaterialLeaks, SECRETS } from "../kit/cli-chain.ts";
import { PASSWORD } from "../kit/constants.ts";
import { fakeHub } from "../kit/fake-hub.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const GRAM = (text: string) => parseUnits(text, 9);
const buyerKey = localAccount(ROLE.payer);
const buyer = buyerKey.address;
const merchant = localAccount(ROLE.merchant).address;

let stack: ChatStack;
let buyerHome: string;
let merchantHome: string;
/** Every bot started; each is stopped by its test with SIGTERM, or killed after the file. */
const bots: Bot[] = [];

interface Bot {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** Resolves once the bot has printed `text`; rejects if it exits first. */
  printed(text: string): Promise<void>;
}

/** `node scripts/merchant-bot.ts args…` with the merchant's home and the stack's environment. */
function startBot(args: string[], env: Record<string, string> = {}): Bot {
  const child = spawn(process.execPath, [join(ROOT, "scripts/merchant-bot.ts"), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      GRAM_HOME: merchantHome,
      GRAM_NODE: stack.nodeUrl,
      GRAM_RPC: stack.chain.url,
      GRAM_DEPLOYMENTS_DIR: stack.chain.deployments,
      GRAM_PASSWORD: PASSWORD,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiting: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of [...waiting]) check();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const bot: Bot = {
    child,
    exited,
    output: () => output,
    printed: (text) =>
      new Promise<void>((done, fail) => {
        const check = () => {
          if (!output.includes(text)) return;
          waiting.splice(waiting.indexOf(check), 1);
          done();
        };
        waiting.push(check);
        check();
        void exited.then((code) =>
          fail(new Error(`the bot exited with ${code} before printing "${text}":\n${output}`)),
        );
      }),
  };
  bots.push(bot);
  return bot;
}

/** Starts the bot and waits until it is signed in to the hub. */
async function openBot(args: string[] = ["--account", "merchant"], env: Record<string, string> = {}) {
  const bot = startBot(args, env);
  await bot.printed(" is open: ");
  return bot;
}

const running = (bot: Bot) => bot.child.exitCode === null && bot.child.signalCode === null;

beforeAll(async () => {
  stack = await startChatStack();
  buyerHome = await stack.chain.homeWith(ROLE.payer);
  merchantHome = await stack.chain.homeWith(ROLE.merchant);
  // `--account merchant` names the merchant's own account through its contacts, as the CLI's --account does.
  expect((await stack.gram(["contacts", "add", "merchant", merchant], { home: merchantHome })).code).toBe(0);
  expect((await stack.gram(["contacts", "add", "shop", merchant], { home: buyerHome })).code).toBe(0);
  // The buyer signs in once, so that the hub keeps messages and statuses for it.
  expect((await as(["chat", "read"])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const bot of bots.filter(running)) {
    bot.child.kill("SIGKILL");
    await bot.exited;
  }
  await stack?.close();
});

const as = (args: string[]) => stack.gram([...args, "--password-file", stack.chain.passwordFile], { home: buyerHome });
// biome-ignore lint/suspicious/noExplicitAny: JSON results are asserted on field by field.
const ok = async (args: string[]): Promise<any> => {
  const run = await as([...args, "--json"]);
  expect(run.code, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(0);
  return jsonOf(run);
};

// biome-ignore lint/suspicious/noExplicitAny: messages of `gram chat read --json`.
type Message = any;

/**
 * The shop's messages to the buyer, read until one matches `until`. Each read waits for a message to
 * arrive: the bot answers after the chain and the node have moved, so there is no fixed time to wait.
 */
async function shopSays(until: (message: Message) => boolean): Promise<Message[]> {
  const got: Message[] = [];
  while (!got.some(until)) {
    const bot = bots.at(-1);
    if (bot !== undefined && !running(bot)) throw new Error(`the bot has stopped:\n${bot.output()}`);
    const read = await ok(["chat", "read", "@shop", "--wait-ms", "30000"]);
    got.push(...read.messages.filter((message: Message) => !message.outgoing && message.from === merchant));
  }
  return got;
}
const text = (words: string) => (message: Message) => message.type === "text" && message.text.includes(words);
const invoiceCard = (message: Message) => message.type === "invoice";

const balance = (who: Address) => stack.chain.balanceOf(who);
const escrowBalance = () =>
  stack.chain.client.readContract({
    address: stack.chain.escrow,
    abi: merchantEscrowAbi,
    functionName: "balanceOf",
    args: [merchant, stack.chain.token],
  });
const held = async (id: Hex) =>
  (
    await stack.chain.client.readContract({
      address: stack.chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "paymentOf",
      args: [id],
    })
  ).held;
const merchantNonce = () => stack.chain.client.getTransactionCount({ address: merchant });

describe("the merchant bot, with a buyer in `gram chat`", { timeout: 120_000 }, () => {
  let bot: Bot;
  let card: Message;

  it("signs in to the node's hub", async () => {
    bot = await openBot();
    expect(bot.output()).toContain(`Gram Pizza is open: ${merchant} on ws://127.0.0.1:`);
  });

  it('answers "menu" with the catalogue', async () => {
    await ok(["chat", "send", "@shop", "menu"]);
    const [menu] = await shopSays(text("Today's menu"));
    expect(menu.text).toBe(
      [
        "Welcome to Gram Pizza! Today's menu:",
        "  1. Margherita — 12.5 GRAM",
        "  2. Quattro formaggi — 14 GRAM",
        "  3. Tiramisu — 6.25 GRAM",
        "  4. Espresso — 2 GRAM",
        `Reply "order 1 2x3" (item numbers, optional quantities) and I'll send you an invoice. Tips welcome, up to 5 GRAM.`,
      ].join("\n"),
    );
  });

  it('answers "order 9" (not on the menu) with a clear message and no invoice', async () => {
    await ok(["chat", "send", "@shop", "order 9"]);
    expect(await shopSays(text("not on the menu"))).toEqual([
      expect.objectContaining({
        type: "text",
        text: 'Sorry, "9" is not on the menu: use item numbers 1 to 4, like 2 or 2x3 (at most 99 of each).',
      }),
    ]);
  });

  it('answers "order 1 4x2" with a signed invoice card; nothing is held or captured before it is paid', async () => {
    const nonce = await merchantNonce();
    await ok(["chat", "send", "@shop", "order 1 4x2"]);
    [card] = await shopSays(invoiceCard);
    expect(card.invoice).toMatchObject({
      merchant,
      payer: buyer,
      title: "Gram Pizza order",
      amount: "16.5",
      units: GRAM("16.5").toString(),
      maxTip: "5",
      symbol: "GRAM",
      items: [
        { name: "Margherita", quantity: "1", price: "12.5" },
        { name: "Espresso", quantity: "2", price: "2" },
      ],
      warnings: [],
    });
    // An invoice is a signature, not a transaction: the bot sent nothing to the chain.
    expect(await held(card.invoice.invoiceId)).toBe(0n);
    expect(await merchantNonce()).toBe(nonce);
    expect(await escrowBalance()).toBe(0n);
  });

  it("captures the invoice once the buyer has paid it, and thanks the buyer for the tip", async () => {
    const before = { buyer: await balance(buyer), merchant: await balance(merchant), escrow: await escrowBalance() };
    const paid = await ok(["chat", "pay-card", card.id, "--tip", "1", "--yes"]);
    expect(paid).toMatchObject({ kind: "invoice", invoiceId: card.invoice.invoiceId, amount: "16.5", tip: "1" });
    const [thanks] = await shopSays(text("Payment received"));
    expect(thanks.text).toMatch(
      /^Payment received and your 1 GRAM tip, thank you! Your order is on its way\. \(capture 0x[0-9a-f]{64}\)$/,
    );
    expect(await held(card.invoice.invoiceId)).toBe(0n);
    expect(await escrowBalance()).toBe(before.escrow + GRAM("16.5"));
    expect(await balance(merchant)).toBe(before.merchant + GRAM("1"));
    expect(await balance(buyer)).toBe(before.buyer - GRAM("17.5"));
  });

  it('refunds the captured order on "refund", once', async () => {
    const before = { buyer: await balance(buyer), escrow: await escrowBalance() };
    await ok(["chat", "send", "@shop", "refund"]);
    const [refunded] = await shopSays(text("Refunded"));
    expect(refunded.text).toMatch(/^Refunded 16\.5 GRAM for your order\. .* \(refund 0x[0-9a-f]{64}\)$/);
    expect(await balance(buyer)).toBe(before.buyer + GRAM("16.5"));
    expect(await escrowBalance()).toBe(before.escrow - GRAM("16.5"));

    await ok(["chat", "send", "@shop", "refund"]);
    const [again] = await shopSays(text("refund"));
    expect(again.text).toBe("I have no paid order of yours to refund.");
    expect(await balance(buyer)).toBe(before.buyer + GRAM("16.5"));
    expect(await escrowBalance()).toBe(before.escrow - GRAM("16.5"));
  });

  it("stops on SIGTERM with exit code 0", async () => {
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain("SIGTERM: closing");
  });

  it("captures, once started again, an order paid while it was stopped", async () => {
    bot = await openBot();
    await ok(["chat", "send", "@shop", "order 3"]);
    const [tiramisu] = (await shopSays(invoiceCard)).filter(invoiceCard);
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);

    const before = { buyer: await balance(buyer), escrow: await escrowBalance() };
    await ok(["chat", "pay-card", tiramisu.id, "--yes"]);
    expect(await held(tiramisu.invoice.invoiceId)).toBe(GRAM("6.25"));

    bot = await openBot();
    const [thanks] = await shopSays(text("Payment received"));
    expect(thanks.text).toMatch(/^Payment received, thank you! Your order is on its way\. \(capture 0x[0-9a-f]{64}\)$/);
    expect(await held(tiramisu.invoice.invoiceId)).toBe(0n);
    expect(await escrowBalance()).toBe(before.escrow + GRAM("6.25"));
    expect(await balance(buyer)).toBe(before.buyer - GRAM("6.25"));
    bot.child.kill("SIGTERM");
    expect(await bot.exited).toBe(0);
  });
});

describe("the merchant bot against a lying hub", () => {
  it('captures nothing on a forged "paid" status: the node has no such payment', async () => {
    const hub = await lyingHub();
    try {
      const nonce = await merchantNonce();
      const escrow = await escrowBalance();
      const bot = await openBot(["--account", "merchant"], { GRAM_CHAT: hub.url });
      // The buyer's "order 1" (genuine, signed by the buyer) gets an invoice; the hub then says it is paid.
      await bot.printed("not captured");
      expect(bot.output()).toMatch(
        /invoice 0x[0-9a-f]{64}: the status says paid, the node says no payment: not captured/,
      );
      const invoice = hub.invoice();
      expect(invoice?.invoice).toMatchObject({ merchant, payer: buyer, amount: GRAM("12.5") });
      expect(await held(invoice?.id as Hex)).toBe(0n);
      expect(await merchantNonce()).toBe(nonce);
      expect(await escrowBalance()).toBe(escrow);
      bot.child.kill("SIGTERM");
      expect(await bot.exited).toBe(0);
    } finally {
      await hub.close();
    }
  });
});

/**
 * A hub that serves the merchant an inbox holding the buyer's signed "order 1", stores what the merchant
 * sends, and answers an invoice card with a `paid` status for it that no transaction backs.
 */
async function lyingHub() {
  const domain = { chainId: stack.chain.chainId, escrow: stack.chain.escrow };
  let invoice: Awaited<ReturnType<typeof decodeInvoiceLink>> | undefined;
  const hub = await fakeHub({
    chainId: stack.chain.chainId,
    inbox: async () => {
      const order = await signEnvelope(
        buyerKey,
        { to: { type: "direct", address: merchant }, body: { type: "text", text: "order 1" } },
        domain,
      );
      return [{ type: "message", seq: 1, envelope: order }];
    },
    handle: async (frame, { reply, append }) => {
      if (frame.op !== "send") return false;
      reply({ type: "sent", id: frame.envelope.id, seq: append({ type: "message", envelope: frame.envelope }) });
      if (frame.envelope.body.type !== "invoice") return true;
      invoice = await decodeInvoiceLink(frame.envelope.body.link);
      append({
        type: "status",
        status: {
          state: "paid",
          tx: keccak256(stringToHex("a payment that never happened")),
          block: 1,
          blockHash: keccak256(stringToHex("a block")),
          logIndex: 0,
          contract: stack.chain.escrow,
          invoice: invoice.id,
          merchant,
          payer: buyer,
          token: stack.chain.token,
          amount: invoice.invoice.amount.toString(),
          tip: "0",
        },
      });
      return true;
    },
  });
  return { url: hub.url, invoice: () => invoice, close: hub.close };
}

describe("the merchant bot's start-up checks", () => {
  it.each([
    ["a node that is no URL", ["--node", "foo"], "--node (or GRAM_NODE): got 'foo', expected an http(s) URL"],
    ["an account number out of range", ["--account", "7"], "--account 7: there are 1 accounts in"],
    ["a name that is no contact", ["--account", "nobody"], "no contact @nobody"],
  ])("%s: exit 1 with a clear message", async (_name, args, message) => {
    const bot = startBot(args);
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain(`merchant-bot: ${message}`);
  });
});

it("no key material in any output, the bot's included", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
  const printed = bots.map((bot) => bot.output().toLowerCase()).join("\n");
  expect(SECRETS.filter((secret) => printed.includes(secret.toLowerCase()))).toEqual([]);
});
