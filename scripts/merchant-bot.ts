// A shop in chat, the way Telegram Payments 2.0 merchants work, but paid on-chain through the escrow.
// A buyer writes "menu" and gets the catalogue; "order 1 2x3" gets a signed invoice card for those items
// (with room for a tip); when the hub's status says the invoice is paid, the bot checks the payment with
// the node, captures it and says thank you; "refund" pays back the buyer's last captured order.
//
//   npm run merchant-bot -- --account merchant        # with npm start's environment line exported
//
// Flags (and their environment variables): --home (GRAM_HOME), --account (GRAM_ACCOUNT: a number in
// `gram accounts`, an address or a contact's name, as the CLI reads it), --password-file (or
// GRAM_PASSWORD), --node (GRAM_NODE), --chat (GRAM_CHAT; default the node's hub), --rpc (GRAM_RPC),
// --deployments (GRAM_DEPLOYMENTS_DIR), --shop <name>. The bot never signs anything a buyer's message did
// not ask for: invoices for the catalogue's prices, captures of payments the node confirms, refunds of its
// own captured orders. It keeps the account's chat state (as `gram chat` does, so do not run `gram chat`
// as the merchant meanwhile) and its invoices in $GRAM_HOME: a payment made while it was stopped is
// captured when it starts again.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  isAddressEqual,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { formatAmount, parseAmount } from "../protocol/amounts.ts";
import { loadDeployment } from "../protocol/deployments.ts";
import type { Invoice } from "../protocol/invoice.ts";
import { deploymentsDir, nodeUrl, rpcUrl } from "../protocol/settings.ts";
import { capturePayment } from "../wallet/actions/capturePayment.ts";
import { createGramClient, type GramClient } from "../wallet/actions/client.ts";
import { readTokenInfo } from "../wallet/actions/readTokenInfo.ts";
import { refundPayment } from "../wallet/actions/refundPayment.ts";
import { parseAddress } from "../wallet/address.ts";
import {
  type ChatConnection,
  type ChatEvent,
  chatStateFile,
  chatUrlOf,
  connectChat,
  fileChatStateStore,
  nodeWebSocket,
} from "../wallet/chat/index.ts";
import { sendInvoice } from "../wallet/chat/sendInvoice.ts";
import { sendText } from "../wallet/chat/sendText.ts";
import { resolveRecipient } from "../wallet/contacts/resolveRecipient.ts";
import { InvoiceNotFoundError } from "../wallet/errors.ts";
import { gramHome } from "../wallet/home.ts";
import { createInvoice } from "../wallet/invoices/createInvoice.ts";
import { readInvoice } from "../wallet/invoices/invoice-store.ts";
import { listAccounts } from "../wallet/keys/listAccounts.ts";
import { unlockAccount } from "../wallet/keys/unlockAccount.ts";
import { createNodeClient, type NodeClient } from "../wallet/node/createNodeClient.ts";
import { getInvoice } from "../wallet/node/getInvoice.ts";
import { http as nodeHttp } from "../wallet/node/http.ts";

/** What the shop sells: prices in whole tokens, as the merchant would type them. */
export interface CatalogueItem {
  name: string;
  price: string;
}

export const DEFAULT_CATALOGUE: readonly CatalogueItem[] = [
  { name: "Margherita", price: "12.5" },
  { name: "Quattro formaggi", price: "14" },
  { name: "Tiramisu", price: "6.25" },
  { name: "Espresso", price: "2" },
];
const MAX_TIP = "5";
const MAX_QUANTITY = 99;

export interface MerchantBotParameters {
  client: GramClient;
  chat: ChatConnection;
  /** The node: payments are checked there before they are captured. */
  node: NodeClient;
  shop?: string;
  catalogue?: readonly CatalogueItem[];
  /** Everything the bot does, one line each. */
  log?: (line: string) => void;
}

interface Order {
  id: Hex;
  invoice: Invoice;
  buyer: Address;
  state: "invoiced" | "captured" | "refunded";
  captured: bigint;
}

/**
 * Runs the shop on an open chat connection: answers buyers' messages and the hub's status pushes until
 * `stop`. Every step that moves money is checked against the node first (a status is only a hint).
 *
 * @example
 * const node = createNodeClient({ transport: http("http://127.0.0.1:8787") });
 * const bot = startMerchantBot({ client, chat, node });
 */
export function startMerchantBot({
  client,
  chat,
  node,
  shop = "Gram Pizza",
  catalogue = DEFAULT_CATALOGUE,
  log = () => {},
}: MerchantBotParameters) {
  const title = `${shop} order`;
  const orders = new Map<Hex, Order>();
  const lastCaptured = new Map<string, Hex>();
  const say = (to: Address, text: string) => sendText(chat, { type: "direct", address: to }, text);
  /** Prices and amounts are in the shop's token (GramToken), in its own decimals, read once from it. */
  const units = async () => (await readTokenInfo(client)).decimals;

  const menu = [
    `Welcome to ${shop}! Today's menu:`,
    ...catalogue.map((item, i) => `  ${i + 1}. ${item.name} — ${item.price} GRAM`),
    `Reply "order 1 2x3" (item numbers, optional quantities) and I'll send you an invoice. Tips welcome, up to ${MAX_TIP} GRAM.`,
  ].join("\n");

  async function order(buyer: Address, words: string[]) {
    const lines = new Map<number, bigint>();
    for (const word of words) {
      const match = /^(\d{1,4})(?:x(\d{1,4}))?$/i.exec(word);
      const index = Number(match?.[1]) - 1;
      const quantity = Number(match?.[2] ?? 1);
      if (match === null || catalogue[index] === undefined || quantity < 1 || quantity > MAX_QUANTITY) {
        await say(
          buyer,
          `Sorry, "${word.slice(0, 20)}" is not on the menu: use item numbers 1 to ${catalogue.length}, like 2 or 2x3 (at most ${MAX_QUANTITY} of each).`,
        );
        return;
      }
      lines.set(index, (lines.get(index) ?? 0n) + BigInt(quantity));
    }
    if (lines.size === 0) {
      await say(
        buyer,
        'What would you like? Reply "order" and item numbers, like "order 1 2x3"; "menu" shows the menu.',
      );
      return;
    }
    const decimals = await units();
    let total = 0n;
    const items = [...lines].map(([index, quantity]) => {
      const item = catalogue[index] as CatalogueItem;
      total += parseAmount(item.price, decimals) * quantity;
      return { name: item.name, quantity: quantity.toString(), price: item.price };
    });
    const created = await createInvoice(client, {
      title,
      items,
      amount: formatAmount(total, decimals),
      maxTip: MAX_TIP,
      payer: buyer,
      ref: `chat:${buyer.toLowerCase()}:${Date.now()}`,
    });
    orders.set(created.id, { id: created.id, invoice: created.invoice, buyer, state: "invoiced", captured: 0n });
    await sendInvoice(chat, { to: { type: "direct", address: buyer }, invoice: created });
    log(`invoice ${created.id} for ${formatAmount(total, decimals)} GRAM to ${buyer}`);
  }

  /** An order of this run, or one invoiced before a restart: an invoice of the shop's kept in $GRAM_HOME. */
  async function orderOf(id: Hex): Promise<Order | undefined> {
    const known = orders.get(id);
    if (known !== undefined) return known;
    const stored = await readInvoice(client.home, id).catch((error: unknown) => {
      if (error instanceof InvoiceNotFoundError) return undefined;
      throw error;
    });
    if (
      stored === undefined ||
      stored.role !== "merchant" ||
      stored.metadata?.title !== title ||
      !isAddressEqual(stored.invoice.merchant, chat.address) ||
      stored.invoice.payer === zeroAddress
    ) {
      return undefined;
    }
    const recovered: Order = {
      id,
      invoice: stored.invoice,
      buyer: stored.invoice.payer,
      state: "invoiced",
      captured: 0n,
    };
    orders.set(id, recovered);
    return recovered;
  }

  async function paid(id: Hex) {
    const order = await orderOf(id);
    if (order === undefined || order.state !== "invoiced") return;
    // The node's view of the payment: undefined while it has not indexed it.
    const seen = await getInvoice(node, { id });
    const decimals = await units();
    // The status said paid; the node must agree: paid by the buyer, the whole amount held (not captured yet).
    if (
      seen === undefined ||
      !isAddressEqual(seen.payer as Address, order.buyer) ||
      BigInt(seen.held) < order.invoice.amount
    ) {
      const view =
        seen === undefined
          ? "no payment"
          : `${seen.status}, ${formatAmount(BigInt(seen.held), decimals)} GRAM held, paid by ${seen.payer}`;
      log(`invoice ${id}: the status says paid, the node says ${view}: not captured`);
      return;
    }
    const amount = formatAmount(BigInt(seen.held), decimals);
    const { hash } = await capturePayment(client, { invoice: order.invoice, amount });
    order.state = "captured";
    order.captured = BigInt(seen.held);
    lastCaptured.set(order.buyer.toLowerCase(), id);
    log(`captured ${amount} GRAM of ${id}: ${hash}`);
    const tip = BigInt(seen.tip) > 0n ? ` and your ${formatAmount(BigInt(seen.tip), decimals)} GRAM tip` : "";
    await say(order.buyer, `Payment received${tip}, thank you! Your order is on its way. (capture ${hash})`);
  }

  async function refund(buyer: Address) {
    const id = lastCaptured.get(buyer.toLowerCase());
    const order = id === undefined ? undefined : orders.get(id);
    if (order === undefined || order.state !== "captured") {
      await say(buyer, "I have no paid order of yours to refund.");
      return;
    }
    const amount = formatAmount(order.captured, await units());
    const { hash } = await refundPayment(client, { invoice: order.invoice, amount });
    order.state = "refunded";
    lastCaptured.delete(buyer.toLowerCase());
    log(`refunded ${amount} GRAM of ${order.id}: ${hash}`);
    await say(buyer, `Refunded ${amount} GRAM for your order. Sorry it did not work out! (refund ${hash})`);
  }

  async function answer(buyer: Address, text: string) {
    const [command = "", ...words] = text.trim().toLowerCase().split(/\s+/);
    try {
      if (command === "order") await order(buyer, words);
      else if (command === "refund") await refund(buyer);
      else await say(buyer, menu);
    } catch (error) {
      log(`error answering ${buyer}: ${messageOf(error)}`);
      await say(buyer, "Sorry, something went wrong on my side. Please try again in a moment.").catch(() => {});
    }
  }

  async function handle(event: ChatEvent) {
    if (event.type === "status") {
      if (event.status.state !== "paid" || event.status.invoice === undefined) return;
      await paid(event.status.invoice).catch((error: unknown) =>
        log(`error capturing ${event.status.invoice}: ${messageOf(error)}`),
      );
    } else if (event.type === "disconnected" || event.type === "reconnected") {
      log(`chat ${event.type}`);
    } else if (event.type === "message" && !event.message.outgoing) {
      const { envelope } = event.message;
      if (envelope.to.type === "direct" && envelope.body.type === "text")
        await answer(envelope.from, envelope.body.text);
    }
  }

  // The connection hands over one event at a time and waits for the last one's promise: `handling` is it.
  let handling = Promise.resolve();
  const unsubscribe = chat.on((event) => {
    handling = handle(event);
    return handling;
  });
  return {
    orders,
    /** Stops listening, once the event being handled is done. */
    async stop() {
      unsubscribe();
      await handling;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `--account` as the CLI reads it: a number in `gram accounts`, an address, or a contact's name. */
async function selectAccount(home: string, wanted: string | undefined): Promise<Address> {
  const { accounts } = await listAccounts({ home });
  if (wanted === undefined || wanted === "") {
    const first = accounts[0];
    if (first === undefined) throw new Error(`no account in ${home}; create one with \`gram init\``);
    return first.address;
  }
  if (/^\d+$/.test(wanted)) {
    const found = accounts[Number(wanted)];
    if (found === undefined) throw new Error(`--account ${wanted}: there are ${accounts.length} accounts in ${home}`);
    return found.address;
  }
  const address = wanted.startsWith("0x")
    ? parseAddress(wanted, "--account")
    : (await resolveRecipient({ home, recipient: `@${wanted.replace(/^@/, "")}` })).address;
  const found = accounts.find((account) => isAddressEqual(account.address, address));
  if (found === undefined) throw new Error(`--account ${wanted}: no keystore for ${address} in ${home}`);
  return found.address;
}

async function main() {
  const { values } = parseArgs({
    options: {
      home: { type: "string" },
      account: { type: "string" },
      "password-file": { type: "string" },
      node: { type: "string" },
      chat: { type: "string" },
      rpc: { type: "string" },
      deployments: { type: "string" },
      shop: { type: "string", default: "Gram Pizza" },
    },
  });
  const env = process.env;
  // Everything that can be checked without the network or the password, first.
  const home = gramHome({ home: values.home, env });
  const node = nodeUrl({ given: values.node, env, label: "--node (or GRAM_NODE)" });
  if (node === undefined) throw new Error("--node (or GRAM_NODE): missing; expected an http(s) URL of a gram node");
  const rpc = rpcUrl({ given: values.rpc, env, label: "--rpc (or GRAM_RPC)", kind: "http" }) as string;
  const chatGiven = values.chat ?? (env.GRAM_CHAT || node);
  let chatUrl: string;
  try {
    chatUrl = chatUrlOf(chatGiven);
  } catch {
    throw new Error(`--chat: got '${chatGiven.slice(0, 80)}', expected an http(s) or ws(s) URL`);
  }
  const address = await selectAccount(home, values.account ?? env.GRAM_ACCOUNT);
  const passwordFile = values["password-file"];
  const password =
    passwordFile === undefined ? env.GRAM_PASSWORD : (await readFile(passwordFile, "utf8")).replace(/\r?\n$/, "");
  if (password === undefined) {
    throw new Error("--password-file: missing; expected the keystore's password (or GRAM_PASSWORD)");
  }

  const publicClient = createPublicClient({ transport: http(rpc) });
  const chainId = await publicClient.getChainId();
  const deployment = await loadDeployment(chainId, deploymentsDir({ given: values.deployments, env }));
  const account = privateKeyToAccount((await unlockAccount({ home, address, password })).privateKey);
  const contracts = {
    token: deployment.contracts.GramToken.address,
    escrow: deployment.contracts.MerchantEscrow.address,
  };
  const client = await createGramClient({
    publicClient,
    walletClient: createWalletClient({ account, transport: http(rpc) }),
    chainId,
    contracts,
    home,
  });
  const chat = await connectChat({
    url: chatUrl,
    account,
    chainId,
    escrow: contracts.escrow,
    // The same state as `gram chat` for this account and hub: one cursor, one list of seen messages.
    state: fileChatStateStore(chatStateFile(home, { chainId, address: account.address, url: chatUrl })),
    webSocket: nodeWebSocket,
    reconnect: true,
  });
  // Started right after connecting, before any answer of the inbox's sync can arrive: nothing is missed.
  const bot = startMerchantBot({
    client,
    chat,
    node: createNodeClient({ transport: nodeHttp(node) }),
    shop: values.shop,
    log: (line) => console.log(line),
  });
  console.log(`${values.shop} is open: ${account.address} on ${chatUrl}. Ctrl-C closes it.`);

  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    // Inbox entries not handled yet stay unread: the next start handles them (a payment is then captured).
    chat
      .pause()
      .then(() => bot.stop())
      .then(() => chat.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`merchant-bot: ${messageOf(error)}`);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", close);
  process.on("SIGTERM", close);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`merchant-bot: ${messageOf(error)}`);
    process.exit(1);
  });
}
