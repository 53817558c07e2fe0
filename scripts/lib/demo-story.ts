// The demo's story, step by step, through the wallet's own actions and chat client: the same functions
// `gram chat` and `gram` run, so that the demo shows (and checks) what a user would see. Each step says what
// it did and returns what it moved, computed from the story's amounts and the contracts' terms alone; the
// runner (demo-play.ts) books it and checks the chain and the node against the books.
import { type Address, createWalletClient, custom, type Hash } from "viem";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { formatAmount, parseAmount } from "../../protocol/amounts.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import { capturePayment } from "../../wallet/actions/capturePayment.ts";
import { type GramClient, requireAccount } from "../../wallet/actions/client.ts";
import { disputePayment } from "../../wallet/actions/disputePayment.ts";
import { refundPayment } from "../../wallet/actions/refundPayment.ts";
import { resolveDispute } from "../../wallet/actions/resolveDispute.ts";
import { voidPayment } from "../../wallet/actions/voidPayment.ts";
import { withdraw } from "../../wallet/actions/withdraw.ts";
import { cardOf, payCard, sendChatTransfer, sendInvoice, sendRequest } from "../../wallet/chat/index.ts";
import { createInvoice } from "../../wallet/invoices/createInvoice.ts";
import { withNonce } from "../../wallet/nonce/withNonce.ts";
import { type Cast, type Chatter, type Person, seeConfirmed } from "./demo-cast.ts";
import type { Observer } from "./demo-check.ts";
import { type Balances, cashbackOf, type Delta, formatTokens, withdrawFeeOf } from "./demo-ledger.ts";

/** The story's amounts, in whole GRAM as a user types them; cashback in basis points (200 = 2%). */
export const STORY = {
  chatPayment: { amount: "5", memo: "lunch" },
  gasless: { amount: "2", memo: "coffee" },
  request: { amount: "3", memo: "cinema ticket" },
  pizza: { title: "Margherita", amount: "12.5", maxTip: "3", tip: "1", cashbackBps: 200, capture: "10", refund: "1.5" },
  disputed: { title: "Quattro formaggi", amount: "14", cashbackBps: 200, toPayer: "6" },
} as const;

export interface StoryContext {
  cast: Cast;
  observer: Observer;
  /** The node's base URL: its relayer submits gasless payments. */
  node: string;
  say: (line: string) => void;
  timeoutMs: number;
}

export interface Step {
  title: string;
  /** Plays the step; `books` are the balances expected before it. Returns what it moves. */
  run(books: Balances): Promise<Delta>;
}

/** The steps in order. They share the invoices they create, so each story is played by one list. */
export function storySteps(ctx: StoryContext): Step[] {
  const { cast, say, timeoutMs } = ctx;
  const { alice, bob, merchant, arbiter } = cast;
  const { chatPayment, gasless, request, pizza, disputed } = STORY;
  const symbol = cast.token.symbol;
  const units = (text: string) => parseAmount(text, cast.token.decimals);
  const tokens = (amount: bigint) => formatTokens(amount, cast.token);
  const tx = (client: GramClient, hash: Hash) => minedLine(client, hash, timeoutMs);
  const orders: { pizza?: Invoice; disputed?: Invoice } = {};
  const order = (name: keyof typeof orders) => {
    const invoice = orders[name];
    if (invoice === undefined) throw new Error(`internal error: the ${name} order was not played before this step`);
    return invoice;
  };
  /** The payment message `id` arrives in `who`'s chat, which shows it received once the chain confirms it. */
  const sawConfirmed = async (who: Chatter, id: Hash, what: string) => {
    const { block } = await seeConfirmed(who, await who.received(id), timeoutMs);
    say(`${who.name}'s chat shows ${what} received: confirmed by the chain in block ${block}`);
  };

  return [
    {
      title: `1. alice pays bob ${chatPayment.amount} ${symbol} in chat`,
      async run() {
        const paid = await sendChatTransfer(alice.client, alice.chat, {
          to: direct(bob.address),
          recipient: bob.address,
          amount: chatPayment.amount,
          memo: chatPayment.memo,
        });
        say(`alice → bob: "${chatPayment.memo}", ${tokens(paid.units)}; ${await tx(alice.client, paid.hash)}`);
        await sawConfirmed(bob, paid.message.envelope.id, "alice's payment");
        const amount = units(chatPayment.amount);
        return { alice: -amount, bob: amount };
      },
    },
    {
      title: `2. bob sends alice ${gasless.amount} ${symbol} back in chat, gasless (the node's relayer pays the gas)`,
      async run() {
        const gasBefore = await bob.client.publicClient.getBalance({ address: bob.address });
        const paid = await sendChatTransfer(bob.client, bob.chat, {
          to: direct(alice.address),
          recipient: alice.address,
          amount: gasless.amount,
          memo: gasless.memo,
          relayer: ctx.node,
        });
        say(
          `bob → alice: "${gasless.memo}", ${tokens(paid.units)}, signed by bob, sent by the relayer; ${await tx(bob.client, paid.hash)}`,
        );
        const gasAfter = await bob.client.publicClient.getBalance({ address: bob.address });
        if (gasAfter !== gasBefore) {
          throw new Error(`bob's ETH changed by ${gasAfter - gasBefore} wei; a gasless payment should cost him none`);
        }
        say("bob paid no gas (his ETH balance is unchanged)");
        await sawConfirmed(alice, paid.message.envelope.id, "bob's gasless payment");
        const amount = units(gasless.amount);
        return { bob: -amount, alice: amount };
      },
    },
    {
      title: `3. bob requests ${request.amount} ${symbol} from alice in chat; alice pays the request card`,
      async run() {
        const now = (await bob.client.publicClient.getBlock()).timestamp;
        const sent = await sendRequest(bob.chat, {
          to: direct(alice.address),
          token: cast.token.address,
          amount: units(request.amount),
          expiry: Number(now) + 86_400,
          memo: request.memo,
        });
        const card = cardOf(await alice.received(sent.envelope.id), alice.address);
        if (card?.kind !== "request") throw new Error(`alice's chat shows bob's request as ${card?.kind ?? "no card"}`);
        say(`bob → alice: a request card for ${tokens(card.amount)} ("${card.memo}")`);
        const paid = await payCard(alice.client, alice.chat, { card });
        say(`alice pays the card: ${await tx(alice.client, paid.hash)}`);
        await sawConfirmed(bob, paid.message.envelope.id, "alice's payment of the request");
        const amount = units(request.amount);
        return { alice: -amount, bob: amount };
      },
    },
    {
      title: `4. the merchant invoices alice ${pizza.amount} ${symbol} for a ${pizza.title} in chat; alice pays the card with a ${pizza.tip} ${symbol} tip`,
      async run() {
        orders.pizza = await invoiceAndPay(ctx, pizza);
        const [amount, tip] = [units(pizza.amount), units(pizza.tip)];
        return { alice: -(amount + tip), merchant: tip, held: amount };
      },
    },
    {
      title: `5a. the merchant captures ${pizza.capture} ${symbol} of the ${pizza.amount} held; alice's ${pizza.cashbackBps / 100}% cashback arrives`,
      async run() {
        const { hash } = await capturePayment(merchant.client, { invoice: order("pizza"), amount: pizza.capture });
        say(`capture: ${await tx(merchant.client, hash)}`);
        const amount = units(pizza.capture);
        const cashback = cashbackOf(amount, pizza.cashbackBps);
        say(`${tokens(amount - cashback)} to the merchant's escrow balance, ${tokens(cashback)} cashback to alice`);
        return { held: -amount, escrow: amount - cashback, alice: cashback };
      },
    },
    {
      title: "5b. the merchant gives back the rest it did not capture (void)",
      async run() {
        const { hash } = await voidPayment(merchant.client, { invoice: order("pizza") });
        const rest = units(pizza.amount) - units(pizza.capture);
        say(`void: ${tokens(rest)} back to alice; ${await tx(merchant.client, hash)}`);
        return { held: -rest, alice: rest };
      },
    },
    {
      title: `5c. the merchant refunds ${pizza.refund} ${symbol} of what it captured (the pizza came cold)`,
      async run() {
        const { hash } = await refundPayment(merchant.client, { invoice: order("pizza"), amount: pizza.refund });
        const amount = units(pizza.refund);
        say(
          `refund: ${tokens(amount)} from the merchant's escrow balance to alice; ${await tx(merchant.client, hash)}`,
        );
        return { escrow: -amount, alice: amount };
      },
    },
    {
      title: `6a. a second order: the merchant invoices alice ${disputed.amount} ${symbol} for a ${disputed.title}; alice pays the card`,
      async run() {
        orders.disputed = await invoiceAndPay(ctx, disputed);
        const amount = units(disputed.amount);
        return { alice: -amount, held: amount };
      },
    },
    {
      title: "6b. the pizza never arrives: alice disputes the payment",
      async run() {
        const { hash } = await disputePayment(alice.client, { invoice: order("disputed") });
        say(`dispute: ${await tx(alice.client, hash)}; the held funds wait for the arbiter`);
        return {};
      },
    },
    {
      title: `6c. the arbiter splits it: ${disputed.toPayer} ${symbol} back to alice, the rest to the merchant`,
      async run() {
        const invoice = order("disputed");
        const { hash } = await resolveDispute(arbiter.client, { invoice, toPayer: disputed.toPayer });
        say(`resolve: ${await tx(arbiter.client, hash)}`);
        const [amount, toPayer] = [units(disputed.amount), units(disputed.toPayer)];
        const toMerchant = amount - toPayer;
        const cashback = cashbackOf(toMerchant, disputed.cashbackBps);
        say(
          `${tokens(toPayer)} back to alice, ${tokens(toMerchant - cashback)} to the merchant's escrow balance, ${tokens(cashback)} cashback to alice`,
        );
        return { held: -amount, alice: toPayer + cashback, escrow: toMerchant - cashback };
      },
    },
    {
      title: "7a. the merchant withdraws its escrow balance; the escrow keeps the withdrawal fee",
      async run(books) {
        // All of it, as the books have it: a balance the chain disagrees with was caught at an earlier step.
        const amount = books.escrow;
        const { hash } = await withdraw(merchant.client, { amount: formatAmount(amount, cast.token.decimals) });
        const fee = withdrawFeeOf(amount, cast.withdrawFeeBps);
        say(`withdraw ${tokens(amount)}: ${await tx(merchant.client, hash)}`);
        say(
          `${tokens(amount - fee)} to the merchant's wallet, ${tokens(fee)} fee (${cast.withdrawFeeBps} bps) kept for the treasury`,
        );
        return { escrow: -amount, merchant: amount - fee, fees: fee };
      },
    },
    {
      title: "7b. the fees go to the treasury (collectFees: anyone may send them; the merchant does)",
      async run(books) {
        // The escrow refuses to collect nothing (EscrowZeroAmount): a fee of 0 bps, or nothing withdrawn.
        if (books.fees === 0n) {
          say(`nothing to collect: the escrow holds no fees (withdrawal fee ${cast.withdrawFeeBps} bps); skipped`);
          return {};
        }
        const hash = await collectFees(merchant, cast.token.address);
        say(`collectFees: ${tokens(books.fees)} to the treasury ${cast.treasury}; ${await tx(merchant.client, hash)}`);
        return { fees: -books.fees, treasury: books.fees };
      },
    },
  ];
}

interface OrderTerms {
  title: string;
  amount: string;
  maxTip?: string;
  tip?: string;
  cashbackBps: number;
}

/**
 * The merchant signs an invoice for alice and sends it as a card; alice's chat shows the card (with no
 * warning), she pays it, and the merchant's chat shows the payment confirmed. Returns the signed invoice.
 */
async function invoiceAndPay(ctx: StoryContext, terms: OrderTerms): Promise<Invoice> {
  const { alice, merchant, token } = ctx.cast;
  const created = await createInvoice(merchant.client, {
    title: terms.title,
    items: [{ name: terms.title, quantity: "1", price: terms.amount }],
    amount: terms.amount,
    maxTip: terms.maxTip,
    cashbackBps: terms.cashbackBps,
    payer: alice.address,
    ref: `gram demo: ${terms.title} for ${alice.address}`,
  });
  const sent = await sendInvoice(merchant.chat, { to: direct(alice.address), invoice: created });
  const card = cardOf(await alice.received(sent.envelope.id), alice.address);
  if (card?.kind !== "invoice") throw new Error(`alice's chat shows the invoice as ${card?.kind ?? "no card"}`);
  if (card.warnings.length > 0) throw new Error(`alice's invoice card warns: ${card.warnings.join("; ")}`);
  const tipRoom = card.maxTip > 0n ? `, tip up to ${formatTokens(card.maxTip, token)}` : "";
  const cashback = `${card.decoded.invoice.cashbackBps / 100}% cashback`;
  ctx.say(
    `merchant → alice: an invoice card "${card.metadata.title}", ${formatTokens(card.amount, token)}${tipRoom}, ${cashback}`,
  );

  const paid = await payCard(alice.client, alice.chat, { card, tip: terms.tip });
  const tipped = paid.tip > 0n ? ` + ${formatTokens(paid.tip, token)} tip to the merchant` : "";
  const mined = await minedLine(alice.client, paid.hash, ctx.timeoutMs);
  ctx.say(`alice pays the card: ${formatTokens(card.amount, token)} into the escrow${tipped}; ${mined}`);
  const { block } = await seeConfirmed(merchant, await merchant.received(paid.message.envelope.id), ctx.timeoutMs);
  ctx.say(`the merchant's chat shows the invoice paid: confirmed by the chain in block ${block}`);
  ctx.observer.invoices.push(created.id);
  return created.invoice;
}

/**
 * `collectFees(token)`, sent by `who`. The wallet signs only calls it can describe to its user, and this one
 * has neither an action nor a summary, so the demo sends it with viem, but under the wallet's nonce
 * manager, so that the account's next `gram` command does not reuse the nonce.
 */
async function collectFees(who: Person, token: Address): Promise<Hash> {
  const { publicClient, chainId, home, contracts } = who.client;
  const walletClient = createWalletClient({ account: requireAccount(who.client), transport: custom(publicClient) });
  const pendingNonce = () => publicClient.getTransactionCount({ address: who.address, blockTag: "pending" });
  const { result } = await withNonce({ home, chainId, address: who.address, pendingNonce }, (nonce) =>
    walletClient.writeContract({
      address: contracts.escrow,
      abi: merchantEscrowAbi,
      functionName: "collectFees",
      args: [token],
      nonce,
      chain: null,
    }),
  );
  return result;
}

/** "tx 0x1234abcd…ef01 in block 12", once mined; a revert or a transaction never mined is an error. */
async function minedLine(client: GramClient, hash: Hash, timeoutMs: number): Promise<string> {
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash, timeout: timeoutMs });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted in block ${receipt.blockNumber}`);
  return `tx ${short(hash)} in block ${receipt.blockNumber}`;
}

function direct(address: Address) {
  return { type: "direct" as const, address };
}

/** 0x1234abcd…ef01: enough to find a transaction in an explorer, short enough for a transcript. */
function short(hash: Hash): string {
  return `${hash.slice(0, 10)}…${hash.slice(-4)}`;
}
