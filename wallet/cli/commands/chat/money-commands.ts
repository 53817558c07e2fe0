// `gram chat pay | request | invoice | pay-card`: money in the chat, for scripts, bots and tests. Each
// checks what it can before the password is asked for (the amount, the options, the card id), signs in,
// does one thing through `money.ts` (as the slash commands do), prints its result and exits.
import { parseTokenAmount } from "../../../actions/internal/amount.ts";
import { findCard, parseCardId } from "../../../chat/cards.ts";
import { resolvePeer } from "../../../chat/resolvePeer.ts";
import type { TransactionSummary } from "../../../summary/types.ts";
import { confirmer } from "../../context.ts";
import { parseBps, parseDuration } from "../../option-values.ts";
import type { Cli } from "../../options.ts";
import type { CommandResult } from "../../output.ts";
import { labels } from "../transfer.ts";
import { words } from "./line.ts";
import { checkAmount, type InvoiceOptions, invoicePeer, payCardFlow, payPeer, requestPeer } from "./money.ts";
import { prepareChat, signInChat, withChatLock, withSession } from "./session.ts";

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
    requestPeer(s, {
      peer: await resolvePeer(s.chat, { home: cli.home, peer: to }),
      amount,
      memo: words(memo),
      expires: options.expires,
    }),
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
    invoicePeer(s, {
      peer: await resolvePeer(s.chat, { home: cli.home, peer: to }),
      amount,
      title,
      options,
      confirm: confirmer(cli, []),
    }),
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
