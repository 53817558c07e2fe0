// `gram chat [--to @peer]`: the chat in a terminal. A chat list, the open conversation, an input line;
// plain lines are messages, `/commands` pay, request, invoice and more (`/help`). Everything that signs
// shows the wallet's summary first and asks (or takes --yes). Incoming payments are marked pending until
// the chain confirms them, and re-marked when it does (or says otherwise). Works on piped stdin too: each
// line is taken in turn, and a question before signing takes the next line as its answer.
import type { Hex } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import { type ConversationTarget, conversationOf } from "../../../protocol/chat/envelope.ts";
import type { Confirm } from "../../actions/internal/submitTransaction.ts";
import { readBalance } from "../../actions/readBalance.ts";
import { readHistory } from "../../actions/readHistory.ts";
import { type Card, cardOf, rememberCard } from "../../chat/cards.ts";
import type { ChatEvent } from "../../chat/connectChat.ts";
import { InvalidChatPeerError } from "../../chat/errors.ts";
import { type ResolvedPeer, resolvePeer } from "../../chat/resolvePeer.ts";
import { sendText } from "../../chat/sendText.ts";
import type { ChatMessage } from "../../chat/verifyIncoming.ts";
import { listContacts } from "../../contacts/listContacts.ts";
import { CliError, report } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { renderSummary } from "../render.ts";
import * as commands from "./chat.ts";
import { parseLine } from "./chat-line.ts";
import { payCardFlow, payPeer } from "./chat-pay.ts";
import { type ChatSession, prepareChat, signInChat, withChatLock } from "./chat-session.ts";
import { createTerminal } from "./chat-terminal.ts";
import { messageLines, rejectedLines, updateLines, viewMessage, viewRejected } from "./chat-view.ts";
import { labels } from "./transfer.ts";

const HELP = [
  "type a line to send it to the open chat, or a command:",
  "  /open @name|0xaddress|group-id   open a chat (shows its last messages)",
  "  /chats                           the chats of this session",
  "  /pay @bob 5 [memo]               pay 5 GRAM directly, then say so in the chat",
  "  /send @bob 5 [memo] [--direct]   pay gaslessly through the node's relayer (default)",
  "  /pay [tip]                       pay the last request or invoice card of the open chat",
  "  /request 5 [memo]                ask the open chat's person for 5 GRAM",
  '  /invoice 12.50 "Margherita" [--tip-max 3] [--cashback 2%]   send an invoice card (merchant)',
  "  /balance  /history  /contacts  /register name  /help  /quit",
];

interface Chat {
  target: ConversationTarget;
  label: string;
  unread: number;
  /** The newest request or invoice card someone else sent here. */
  lastCard: ChatMessage | undefined;
}

export async function interactive(cli: Cli, options: { to?: string }): Promise<CommandResult> {
  if (cli.options.json) {
    throw new CliError(
      "USAGE",
      "the interactive chat prints for people; scripts use `gram chat send|read|pay … --json`",
    );
  }
  const prepared = await prepareChat(cli);
  return withChatLock(prepared, async () => {
    const ui = createTerminal();
    const chats = new Map<Hex, Chat>();
    let open: Hex | undefined;
    let session: ChatSession | undefined;
    const early: ChatEvent[] = [];

    const show = async (message: ChatMessage, seq: number | null) => {
      const s = session as ChatSession;
      const body = message.envelope.body;
      if (body.type === "request" || body.type === "invoice") rememberCard(s.chat.state, message);
      const verification = body.type === "payment" ? await s.payments.check(message) : undefined;
      const view = await viewMessage(
        { client: s.connection.client, names: s.names, me: s.me },
        message,
        seq,
        verification,
      );
      return messageLines(view);
    };

    const chatOf = async (message: ChatMessage): Promise<Chat> => {
      const s = session as ChatSession;
      let chat = chats.get(message.conversation);
      if (chat === undefined) {
        const { envelope } = message;
        const target: ConversationTarget =
          envelope.to.type === "group"
            ? envelope.to
            : { type: "direct", address: message.outgoing ? envelope.to.address : envelope.from };
        const label =
          target.type === "group"
            ? (s.chat.state.groups.find((g) => g.id === target.id)?.name ?? `group ${target.id.slice(0, 10)}`)
            : await s.names.label(target.address);
        chat = { target, label, unread: 0, lastCard: undefined };
        chats.set(message.conversation, chat);
      }
      return chat;
    };

    const onEvent = async (event: ChatEvent) => {
      if (session === undefined) {
        early.push(event);
        return;
      }
      const s = session;
      if (event.type === "message") {
        const chat = await chatOf(event.message);
        if (!event.message.outgoing && cardOf(event.message, s.me) !== undefined) chat.lastCard = event.message;
        if (event.message.conversation === open) ui.say(await show(event.message, event.seq));
        else if (!event.message.outgoing) {
          chat.unread += 1;
          const lines = await show(event.message, event.seq);
          ui.say([`(new in ${chat.label}) ${lines[0]?.replace(/^\[[^\]]*\] /, "") ?? ""}`]);
        }
      } else if (event.type === "rejected") {
        ui.say(rejectedLines(viewRejected(event.rejection, event.seq)));
      } else if (event.type === "status") {
        for (const update of await s.payments.hint(event.status))
          ui.say(updateLines(update, await s.names.label(update.from)));
      } else if (event.type === "group") {
        ui.say([`[group] you are in "${event.group.name}" ${event.group.id}`]);
      } else if (event.type === "disconnected") {
        ui.say([`(disconnected from the hub: ${event.code} ${event.reason}; reconnecting)`]);
      } else if (event.type === "reconnected") {
        ui.say(["(reconnected)"]);
      }
    };

    session = await signInChat(cli, prepared, { sync: true, autoSave: true, reconnect: true, onEvent });
    const s = session;
    const confirm: Confirm = async (summary) => {
      ui.say(renderSummary(summary, await labels(cli.home)));
      if (cli.options.yes) return true;
      const answer = await ui.ask("Sign and send? [y/N] ");
      return /^y(es)?$/i.test((answer ?? "").trim());
    };

    ui.say([`signed in to ${s.chat.url} as ${s.chat.username ? `@${s.chat.username} ` : ""}${s.me}`]);
    for (const event of early.splice(0)) await onEvent(event);
    await s.chat.synced;
    for (const event of early.splice(0)) await onEvent(event);
    const list = [...chats.values()].filter((chat) => chat.unread > 0);
    if (list.length > 0)
      ui.say(["chats with new messages:", ...list.map((chat) => `  ${chat.label}: ${chat.unread} new`)]);

    const openChat = async (peer: ResolvedPeer) => {
      const conversation = conversationOf(s.me, peer.target);
      let chat = chats.get(conversation);
      if (chat === undefined) {
        chat = { target: peer.target, label: peer.label, unread: 0, lastCard: undefined };
        chats.set(conversation, chat);
      }
      chat.unread = 0;
      open = conversation;
      const page = await s.chat.history(peer.target, { limit: 20 });
      const lines = [`--- ${peer.label} ---`];
      for (const { checked } of page.messages) {
        if ("code" in checked) {
          lines.push(...rejectedLines(viewRejected(checked, null)));
          continue;
        }
        if (!checked.outgoing && cardOf(checked, s.me) !== undefined) chat.lastCard = checked;
        lines.push(...(await show(checked, null)));
      }
      if (page.messages.length === 0) lines.push("(no messages yet)");
      ui.say(lines);
      return chat;
    };

    const peerOf = (text: string | undefined, what: string) => {
      if (text === undefined) throw new CliError("USAGE", `${what}: whom? give @name or an address`);
      return resolvePeer(s.chat, { home: cli.home, peer: text });
    };
    const peerOfChat = async (chat: Chat): Promise<ResolvedPeer> => {
      if (chat.target.type === "group") {
        throw new InvalidChatPeerError("requests and invoices go to a person, not to a group");
      }
      return { target: chat.target, address: chat.target.address, label: chat.label, source: "address" };
    };
    const openTarget = () => {
      const chat = open === undefined ? undefined : chats.get(open);
      if (chat === undefined) throw new CliError("USAGE", "no chat is open: /open @name first");
      return chat;
    };

    const run = async (line: string): Promise<boolean> => {
      if (!line.startsWith("/")) {
        if (line.trim() === "") return true;
        const chat = openTarget();
        // Shown when the hub hands it back through this account's inbox, like any other message.
        await sendText(s.chat, chat.target, line);
        return true;
      }
      const { command, args, options } = parseLine(line, ["direct", "gasless", "i-know"]);
      const iKnow = options["i-know"] === true;
      switch (command) {
        case "quit":
        case "exit":
          return false;
        case "help":
          ui.say(HELP);
          return true;
        case "open":
          await openChat(await peerOf(args[0], "/open"));
          return true;
        case "chats":
          ui.say(
            chats.size === 0
              ? ["no chats in this session yet: /open @name"]
              : [...chats.entries()].map(
                  ([id, chat]) =>
                    `${id === open ? "*" : " "} ${chat.label}${chat.unread ? ` (${chat.unread} new)` : ""}`,
                ),
          );
          return true;
        case "pay":
        case "send": {
          const first = args[0];
          if (command === "pay" && (first === undefined || !/^(@|0x)/.test(first))) {
            if (args.length > 1)
              throw new CliError("USAGE", "/pay [tip] pays the last card; /pay @name amount [memo] pays a person");
            const chat = openTarget();
            if (chat.lastCard === undefined)
              throw new CliError("USAGE", `no request or invoice card in ${chat.label} to pay`);
            const card = cardOf(chat.lastCard, s.me) as Card;
            const what = card.kind === "invoice" ? `invoice "${card.metadata.title}"` : "request";
            ui.say([`paying the last card of ${chat.label}: ${what} ${card.id.slice(0, 10)}`]);
            const paid = await payCardFlow(cli, s, {
              card,
              tip: first,
              gasless: options.gasless === true,
              iKnow,
              confirm,
            });
            ui.say(paid.text);
            return true;
          }
          const peer = await peerOf(first, `/${command}`);
          const amount = args[1];
          if (amount === undefined)
            throw new CliError("USAGE", `/${command} ${first}: how much? e.g. /${command} ${first} 5 lunch`);
          const memo = args.slice(2).join(" ") || undefined;
          const gasless = command === "send" ? options.direct !== true : options.gasless === true;
          if (open !== conversationOf(s.me, peer.target)) await openChat(peer);
          const paid = await payPeer(cli, s, { peer, amount, memo, gasless, iKnow, confirm });
          ui.say(paid.text);
          return true;
        }
        case "request": {
          const chat = openTarget();
          const [amount, ...memo] = args;
          if (amount === undefined) throw new CliError("USAGE", "/request how much? e.g. /request 5 pizza");
          const done = await commands.requestIn(
            cli,
            s,
            await peerOfChat(chat),
            amount,
            memo,
            options.expires === undefined ? {} : { expires: String(options.expires) },
          );
          ui.say(done.text);
          return true;
        }
        case "invoice": {
          const chat = openTarget();
          const [amount, title] = args;
          if (amount === undefined || title === undefined)
            throw new CliError("USAGE", '/invoice amount "title" [--tip-max n] [--cashback 2%]');
          const done = await commands.invoiceIn(
            cli,
            s,
            await peerOfChat(chat),
            amount,
            title,
            {
              ...(options["tip-max"] === undefined ? {} : { tipMax: String(options["tip-max"]) }),
              ...(options.cashback === undefined ? {} : { cashback: String(options.cashback) }),
            },
            confirm,
          );
          ui.say(done.text);
          return true;
        }
        case "balance": {
          const read = await readBalance(s.connection.client, { address: s.me });
          ui.say([
            `${read.balance.formatted} ${read.token.symbol}, ${read.native.formatted} ${read.native.symbol} for gas`,
          ]);
          return true;
        }
        case "history": {
          const read = await readHistory(s.connection.client, {
            address: s.me,
            fromBlock: BigInt(s.connection.deployment.deployBlock),
            limit: 10,
          });
          ui.say(
            read.entries.length === 0
              ? ["no transfers yet"]
              : await Promise.all(
                  read.entries.map(
                    async (e) =>
                      `${e.direction.padEnd(4)} ${formatAmount(e.units, read.token.decimals).padStart(12)} ${read.token.symbol}  ${await s.names.label(e.counterparty)}  ${e.hash.slice(0, 12)}`,
                  ),
                ),
          );
          return true;
        }
        case "contacts": {
          const contacts = await listContacts({ home: cli.home });
          ui.say(
            contacts.length === 0
              ? ["no contacts: gram contacts add name 0x…"]
              : contacts.map((c) => `@${c.name}  ${c.address}`),
          );
          return true;
        }
        case "register": {
          const name = args[0];
          if (name === undefined) throw new CliError("USAGE", "/register which name?");
          const user = await s.chat.register(name.replace(/^@/, ""));
          ui.say([`registered @${user.username}`]);
          return true;
        }
        default:
          throw new CliError("USAGE", `unknown command /${command}; /help lists them`);
      }
    };

    const recheck = setInterval(() => {
      void s.payments.recheck().then(async (updates) => {
        for (const update of updates) ui.say(updateLines(update, await s.names.label(update.from)));
      });
    }, 2_000);
    recheck.unref();
    try {
      if (options.to !== undefined) await openChat(await peerOf(options.to, "--to"));
      else ui.say(["/open @name to start, /help for commands"]);
      for (;;) {
        const line = await ui.next();
        if (line === undefined) break;
        try {
          if (!(await run(line))) break;
        } catch (error) {
          const { error: shown } = report(error);
          ui.say([`error: ${shown.message}${shown.hint ? ` (${shown.hint})` : ""} [${shown.code}]`]);
        }
      }
    } finally {
      clearInterval(recheck);
      ui.close();
      await s.close();
    }
    return result({}, []);
  });
}
