// What a slash command of the interactive chat is: a name, the usage lines `/help` shows, and a short
// `run` over the session (see slash-commands.ts for the table). And what several of them need: the peer
// a user typed, or the person of the open chat.
import type { Confirm } from "../../../actions/internal/submitTransaction.ts";
import { InvalidChatPeerError } from "../../../chat/errors.ts";
import { type ResolvedPeer, resolvePeer } from "../../../chat/resolvePeer.ts";
import { CliError } from "../../errors.ts";
import type { Cli } from "../../options.ts";
import type { Conversation, Conversations } from "./conversations.ts";
import type { ParsedLine } from "./line.ts";
import type { ChatSession } from "./session.ts";
import type { Terminal } from "./terminal.ts";

export interface SlashContext {
  cli: Cli;
  session: ChatSession;
  ui: Terminal;
  conversations: Conversations;
  /** Shows the wallet's summary and asks (or takes --yes) before anything is signed. */
  confirm: Confirm;
}

export interface SlashCommand {
  /** Typed after the slash, in any case. */
  name: string;
  aliases?: readonly string[];
  /** What `/help` shows: each form of the command and what it does. */
  usage: readonly (readonly [form: string, does: string])[];
  /** Runs the command. A `CliError` it throws is shown, and the session goes on. */
  run(context: SlashContext, line: ParsedLine): Promise<void>;
  /** The session ends once it has run. */
  ends?: boolean;
}

/** The peer a user typed (`@name`, an address, a group id), or a usage error naming the command. */
export function peerOf({ cli, session }: SlashContext, text: string | undefined, what: string) {
  if (text === undefined) throw new CliError("USAGE", `${what}: whom? give @name or an address`);
  return resolvePeer(session.chat, { home: cli.home, peer: text });
}

/** The person of a direct chat: requests and invoices go to one. */
export function personOf(conversation: Conversation): ResolvedPeer {
  const { target, label } = conversation;
  if (target.type === "group") {
    throw new InvalidChatPeerError("requests and invoices go to a person, not to a group");
  }
  return { target, address: target.address, label, source: "address" };
}
