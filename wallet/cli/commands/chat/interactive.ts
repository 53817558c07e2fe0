// `gram chat [--to @peer]`: the chat in a terminal. A chat list, the open conversation, an input line;
// plain lines are messages, `/commands` pay, request, invoice and more (slash-commands.ts, `/help`).
// Everything that signs shows the wallet's summary first and asks (or takes --yes). Incoming payments are
// marked pending until the chain confirms them, and re-marked when it does (or says otherwise). Works on
// piped stdin too: each line is taken in turn, and a question before signing takes the next line as its
// answer.
import type { Confirm } from "../../../actions/internal/submitTransaction.ts";
import type { ChatEvent } from "../../../chat/createChatListeners.ts";
import { sendText } from "../../../chat/sendText.ts";
import { CliError, report } from "../../errors.ts";
import type { Cli } from "../../options.ts";
import { type CommandResult, result } from "../../output.ts";
import { renderSummary } from "../../render.ts";
import { labels } from "../transfer.ts";
import { type Conversations, createConversations } from "./conversations.ts";
import { type ChatSession, prepareChat, signInChat, withChatLock } from "./session.ts";
import { peerOf, type SlashContext } from "./slash.ts";
import { runSlashCommand } from "./slash-commands.ts";
import { createTerminal, type Terminal } from "./terminal.ts";
import { rejectedLines, updateLines, viewRejected } from "./view.ts";

/** How often payments shown as pending are checked on the chain again. */
const RECHECK_MS = 2_000;

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
    let live: { session: ChatSession; conversations: Conversations } | undefined;
    // Events that arrive while signing in wait until there is a session to show them with.
    const early: ChatEvent[] = [];
    const onEvent = async (event: ChatEvent) => {
      if (live === undefined) early.push(event);
      else await showEvent(ui, live.session, live.conversations, event);
    };

    const session = await signInChat(cli, prepared, { sync: true, autoSave: true, reconnect: true, onEvent });
    const conversations = createConversations(session, ui);
    live = { session, conversations };
    const confirm: Confirm = async (summary) => {
      ui.say(renderSummary(summary, await labels(cli.home)));
      if (cli.options.yes) return true;
      const answer = await ui.ask("Sign and send? [y/N] ");
      return /^y(es)?$/i.test((answer ?? "").trim());
    };
    const context: SlashContext = { cli, session, ui, conversations, confirm };

    const { chat, me } = session;
    ui.say([`signed in to ${chat.url} as ${chat.username ? `@${chat.username} ` : ""}${me}`]);
    for (const event of early.splice(0)) await onEvent(event);
    await chat.synced;
    for (const event of early.splice(0)) await onEvent(event);
    const waiting = [...conversations.all.values()].filter((chat) => chat.unread > 0);
    if (waiting.length > 0)
      ui.say(["chats with new messages:", ...waiting.map((chat) => `  ${chat.label}: ${chat.unread} new`)]);

    const recheck = setInterval(() => {
      void session.payments.recheck().then(async (updates) => {
        for (const update of updates) ui.say(updateLines(update, await session.names.label(update.from)));
      });
    }, RECHECK_MS);
    recheck.unref();
    try {
      if (options.to !== undefined) await conversations.open(await peerOf(context, options.to, "--to"));
      else ui.say(["/open @name to start, /help for commands"]);
      for (;;) {
        const line = await ui.next();
        if (line === undefined) break;
        try {
          if (!(await runLine(context, line))) break;
        } catch (error) {
          const { error: shown } = report(error);
          ui.say([`error: ${shown.message}${shown.hint ? ` (${shown.hint})` : ""} [${shown.code}]`]);
        }
      }
    } finally {
      clearInterval(recheck);
      ui.close();
      await session.close();
    }
    return result({}, []);
  });
}

/** A plain line is a message to the open chat; a `/line` a command. False when the session ends. */
async function runLine(context: SlashContext, line: string): Promise<boolean> {
  if (line.startsWith("/")) return runSlashCommand(context, line);
  if (line.trim() === "") return true;
  // Shown when the hub hands it back through this account's inbox, like any other message.
  await sendText(context.session.chat, context.conversations.current().target, line);
  return true;
}

/** An inbox event, as the terminal shows it: in the open chat, or as a one-line notice from another. */
async function showEvent(ui: Terminal, session: ChatSession, conversations: Conversations, event: ChatEvent) {
  if (event.type === "message") {
    const { message, seq } = event;
    const conversation = await conversations.of(message);
    if (message.conversation === conversations.openId) ui.say(await conversations.show(message, seq));
    else if (!message.outgoing) {
      conversation.unread += 1;
      const lines = await conversations.show(message, seq);
      ui.say([`(new in ${conversation.label}) ${lines[0]?.replace(/^\[[^\]]*\] /, "") ?? ""}`]);
    }
  } else if (event.type === "rejected") {
    ui.say(rejectedLines(viewRejected(event.rejection, event.seq)));
  } else if (event.type === "status") {
    for (const update of await session.payments.hint(event.status))
      ui.say(updateLines(update, await session.names.label(update.from)));
  } else if (event.type === "group") {
    ui.say([`[group] you are in "${event.group.name}" ${event.group.id}`]);
  } else if (event.type === "disconnected") {
    ui.say([`(disconnected from the hub: ${event.code} ${event.reason}; reconnecting)`]);
  } else if (event.type === "reconnected") {
    ui.say(["(reconnected)"]);
  }
}
