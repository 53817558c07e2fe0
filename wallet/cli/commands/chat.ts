// `gram chat register | send | pay | request | invoice | pay-card | group create`: the chat for scripts,
// bots and tests. Each signs in, does one thing, prints its result (or one JSON object) and exits.
import type { Address } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import { conversationOf } from "../../../protocol/chat/envelope.ts";
import { parseTokenAmount } from "../../actions/internal/amount.ts";
import { chainNow } from "../../actions/internal/chainTime.ts";
import type { Confirm } from "../../actions/internal/submitTransaction.ts";
import { findCard, parseCardId } from "../../chat/cards.ts";
import { InvalidChatPeerError } from "../../chat/errors.ts";
import { type ResolvedPeer, resolvePeer } from "../../chat/resolvePeer.ts";
import { sendInvoice } from "../../chat/sendInvoice.ts";
import { sendRequest } from "../../chat/sendRequest.ts";
import { sendText } from "../../chat/sendText.ts";
import { InvalidAmountError } from "../../errors.ts";
import { createInvoice } from "../../invoices/createInvoice.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { confirmer } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { time } from "../render.ts";
import { payCardFlow, payPeer } from "./chat-pay.ts";
import { type ChatSession, prepareChat, signInChat, withChatLock } from "./chat-session.ts";
import { parseBps } from "./invoices.ts";
import { parseDuration } from "./payments.ts";
import { labels } from "./transfer.ts";

const words = (parts: string[] | undefined) =>
  parts === undefined || parts.length === 0 ? undefined : parts.join(" ");

async function withSession<T>(session: ChatSession, body: (session: ChatSession) => Promise<T>): Promise<T> {
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

export async function register(cli: Cli, username: string): Promise<CommandResult> {
  const session = await signInChat(cli, await prepareChat(cli));
  return withSession(session, async ({ chat }) => {
    const user = await chat.register(username.replace(/^@/, ""));
    return result(user, [`registered @${user.username} for ${user.address}`]);
  });
}

export async function send(cli: Cli, to: string, text: string[]): Promise<CommandResult> {
  const message = words(text);
  if (message === undefined) throw new CliError("USAGE", "send what? give the text after the recipient");
  const session = await signInChat(cli, await prepareChat(cli));
  return withSession(session, async ({ chat }) => {
    const peer = await resolvePeer(chat, { home: cli.home, peer: to });
    const sent = await sendText(chat, peer.target, message);
    return result(
      {
        to: peer.target,
        toName: peer.label,
        messageId: sent.envelope.id,
        seq: sent.seq,
        conversation: conversationOf(chat.address, peer.target),
      },
      [`sent to ${peer.label} (message ${sent.envelope.id.slice(0, 10)})`],
    );
  });
}

export async function pay(
  cli: Cli,
  to: string,
  amount: string,
  memo: string[] | undefined,
  options: { gasless?: boolean; iKnow?: boolean },
): Promise<CommandResult> {
  const prepared = await prepareChat(cli);
  await checkAmount(prepared.connection.client, amount);
  const session = await signInChat(cli, prepared);
  return withSession(session, async (s) => {
    const peer = await resolvePeer(s.chat, { home: cli.home, peer: to });
    const shown: TransactionSummary[] = [];
    // The summary names the recipient as it was found: `@bob` (a contact) or `~bob` (the hub says so).
    const names = { ...(peer.address === undefined ? {} : { [peer.address.toLowerCase()]: peer.label }) };
    return payPeer(cli, s, {
      peer,
      amount,
      memo: words(memo),
      gasless: options.gasless === true,
      iKnow: options.iKnow,
      confirm: confirmer(cli, shown, { ...names, ...(await labels(cli.home)) }),
    });
  });
}

export async function request(
  cli: Cli,
  to: string,
  amount: string,
  memo: string[] | undefined,
  options: { expires?: string },
): Promise<CommandResult> {
  parseDuration(options.expires ?? "7d", "--expires");
  const prepared = await prepareChat(cli);
  await checkAmount(prepared.connection.client, amount);
  const session = await signInChat(cli, prepared);
  return withSession(session, async (s) =>
    requestIn(cli, s, await resolvePeer(s.chat, { home: cli.home, peer: to }), amount, memo, options),
  );
}

/** `request` in a session already signed in (the interactive `/request`). */
export async function requestIn(
  _cli: Cli,
  { chat, connection }: ChatSession,
  peer: ResolvedPeer,
  amount: string,
  memo: string[] | undefined,
  options: { expires?: string },
): Promise<CommandResult> {
  const seconds = parseDuration(options.expires ?? "7d", "--expires");
  const { client } = connection;
  const { units, token } = await checkAmount(client, amount);
  if (peer.address === undefined) throw new InvalidChatPeerError("a request goes to a person, not to a group");
  const expiry = (await chainNow(client)) + seconds;
  const text = words(memo);
  const sent = await sendRequest(chat, { to: peer.target, token: token.address, amount: units, expiry, memo: text });
  const formatted = formatAmount(units, token.decimals);
  return result(
    {
      to: peer.target,
      toName: peer.label,
      messageId: sent.envelope.id,
      amount: formatted,
      units: units.toString(),
      symbol: token.symbol,
      token: token.address,
      expiry,
      memo: text ?? null,
    },
    [`asked ${peer.label} for ${formatted} ${token.symbol}${text ? ` for "${text}"` : ""}, until ${time(expiry)}`],
  );
}

export async function invoice(
  cli: Cli,
  to: string,
  amount: string,
  title: string,
  options: InvoiceOptions,
): Promise<CommandResult> {
  if (options.expires !== undefined) parseDuration(options.expires, "--expires");
  if (options.cashback !== undefined) parseBps(options.cashback);
  const prepared = await prepareChat(cli);
  await checkAmount(prepared.connection.client, amount);
  if (options.tipMax !== undefined) {
    await parseTokenAmount(prepared.connection.client, { text: options.tipMax, what: "--tip-max" });
  }
  const session = await signInChat(cli, prepared);
  return withSession(session, async (s) =>
    invoiceIn(
      cli,
      s,
      await resolvePeer(s.chat, { home: cli.home, peer: to }),
      amount,
      title,
      options,
      confirmer(cli, []),
    ),
  );
}

export interface InvoiceOptions {
  tipMax?: string;
  /** Basis points or a percentage (`parseBps`). */
  cashback?: string;
  memo?: string;
  expires?: string;
}

/** `invoice` in a session already signed in (the interactive `/invoice`). */
export async function invoiceIn(
  _cli: Cli,
  { chat, connection }: ChatSession,
  peer: ResolvedPeer,
  amount: string,
  title: string,
  options: InvoiceOptions,
  confirm: Confirm,
): Promise<CommandResult> {
  const { client } = connection;
  const { units, token } = await checkAmount(client, amount);
  const seconds = options.expires === undefined ? undefined : parseDuration(options.expires, "--expires");
  const shown: TransactionSummary[] = [];
  const payBefore = seconds === undefined ? undefined : (await chainNow(client)) + seconds;
  const created = await createInvoice(client, {
    title,
    items: [{ name: title, quantity: "1", price: formatAmount(units, token.decimals) }],
    amount,
    maxTip: options.tipMax ?? "0",
    cashbackBps: options.cashback === undefined ? 0 : parseBps(options.cashback),
    ...(options.memo === undefined ? {} : { memo: options.memo }),
    ...(peer.address === undefined ? {} : { payer: peer.address }),
    ...(payBefore === undefined ? {} : { payBefore }),
    ref: conversationOf(chat.address, peer.target),
    confirm: async (summary) => {
      shown.push(summary);
      return confirm(summary);
    },
  });
  const sent = await sendInvoice(chat, { to: peer.target, invoice: created });
  const formatted = formatAmount(created.invoice.amount, token.decimals);
  return result(
    {
      to: peer.target,
      toName: peer.label,
      messageId: sent.envelope.id,
      invoiceId: created.id,
      link: sent.envelope.body.type === "invoice" ? sent.envelope.body.link : null,
      title,
      amount: formatted,
      maxTip: formatAmount(created.invoice.maxTip, token.decimals),
      cashbackBps: created.invoice.cashbackBps,
      symbol: token.symbol,
      payer: peer.address ?? null,
      payBefore: created.invoice.payBefore,
      summaries: shown,
    },
    [`invoiced ${peer.label} ${formatted} ${token.symbol} for "${title}" (invoice ${created.id.slice(0, 10)})`],
  );
}

export async function payCardCommand(
  cli: Cli,
  id: string,
  options: { tip?: string; gasless?: boolean; iKnow?: boolean },
): Promise<CommandResult> {
  parseCardId(id);
  const prepared = await prepareChat(cli);
  if (options.tip !== undefined)
    await parseTokenAmount(prepared.connection.client, { text: options.tip, what: "--tip" });
  // The state is written (the payment, so that the card is not paid twice): one process at a time.
  return withChatLock(prepared, async () => {
    const session = await signInChat(cli, prepared);
    return withSession(session, async (s) => {
      const card = await findCard(s.chat.state, id, { domain: s.chat.domain, me: s.me });
      const paid = await payCardFlow(cli, s, {
        card,
        tip: options.tip,
        gasless: options.gasless === true,
        iKnow: options.iKnow,
        confirm: confirmer(cli, [], await labels(cli.home)),
      });
      await s.chat.saveState();
      return paid;
    });
  });
}

export async function groupCreate(cli: Cli, name: string, members: string[]): Promise<CommandResult> {
  const session = await signInChat(cli, await prepareChat(cli));
  return withSession(session, async ({ chat }) => {
    const addresses: Address[] = [];
    for (const member of members) {
      const peer = await resolvePeer(chat, { home: cli.home, peer: member });
      if (peer.address === undefined)
        throw new InvalidChatPeerError(`member ${member}: a group's members are people, not groups`);
      addresses.push(peer.address);
    }
    const group = await chat.createGroup(name, addresses);
    return result({ group }, [`created group "${group.name}" ${group.id}`, ...group.members.map((m) => `  ${m}`)]);
  });
}

/** A positive amount of the wallet's token, checked before the password is asked for. */
async function checkAmount(client: Parameters<typeof parseTokenAmount>[0], amount: string) {
  const parsed = await parseTokenAmount(client, { text: amount, what: "amount" });
  if (parsed.units === 0n)
    throw new InvalidAmountError("amount: 0 is nothing; expected more than 0", { reason: "zero" });
  return parsed;
}
