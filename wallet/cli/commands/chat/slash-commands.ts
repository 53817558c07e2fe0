// The interactive chat's slash commands, as a table (as the hub's `HANDLERS`): each entry names a command,
// says how it is used, and runs it; `/help` is written from the table. A line that starts with `/` is
// split by `parseLine` and handed to its command.
import { CliError } from "../../errors.ts";
import { parseLine } from "./line.ts";
import type { SlashCommand, SlashContext } from "./slash.ts";
import { chats, open } from "./slash-chats.ts";
import { invoice, pay, request, send } from "./slash-money.ts";
import { balance, contacts, history, register } from "./slash-wallet.ts";

/** Options that take no value, whichever command they follow. */
const FLAGS = ["direct", "gasless", "i-know"] as const;

const help: SlashCommand = {
  name: "help",
  usage: [["/help", "this list"]],
  run: async ({ ui }) => ui.say(helpLines()),
};

const quit: SlashCommand = {
  name: "quit",
  aliases: ["exit"],
  usage: [["/quit", "leave (end of input does too)"]],
  run: async () => {},
  ends: true,
};

/** In the order `/help` lists them. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  open,
  chats,
  pay,
  send,
  request,
  invoice,
  balance,
  history,
  contacts,
  register,
  help,
  quit,
];

/** `/help`: what a plain line does, then each command's forms. */
export function helpLines(): string[] {
  const forms = SLASH_COMMANDS.flatMap((command) => command.usage);
  return [
    "type a line to send it to the open chat, or a command:",
    ...forms.map(([form, does]) => `  ${form.padEnd(30)}   ${does}`),
  ];
}

/** Runs a `/command` line; false when the session should end. */
export async function runSlashCommand(context: SlashContext, text: string): Promise<boolean> {
  const line = parseLine(text, FLAGS);
  const command = SLASH_COMMANDS.find((c) => c.name === line.command || c.aliases?.includes(line.command));
  if (command === undefined) throw new CliError("USAGE", `unknown command /${line.command}; /help lists them`);
  await command.run(context, line);
  return command.ends !== true;
}
