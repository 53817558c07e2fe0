// `gram chat register | send | group create`: what only the hub is told, for scripts, bots and tests.
// Each signs in, does one thing, prints its result (or one JSON object) and exits.
import type { Address } from "viem";
import { conversationOf } from "../../../../protocol/chat/envelope.ts";
import { createGroup } from "../../../chat/createGroup.ts";
import { InvalidChatPeerError } from "../../../chat/errors.ts";
import { registerUsername } from "../../../chat/registerUsername.ts";
import { resolvePeer } from "../../../chat/resolvePeer.ts";
import { sendText } from "../../../chat/sendText.ts";
import { CliError } from "../../errors.ts";
import type { Cli } from "../../options.ts";
import { type CommandResult, result } from "../../output.ts";
import { words } from "./line.ts";
import { prepareChat, signInChat, withSession } from "./session.ts";

export async function register(cli: Cli, username: string): Promise<CommandResult> {
  const session = await signInChat(cli, await prepareChat(cli));
  return withSession(session, async ({ chat }) => {
    const user = await registerUsername(chat, username.replace(/^@/, ""));
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
    const group = await createGroup(chat, { name, members: addresses });
    return result({ group }, [`created group "${group.name}" ${group.id}`, ...group.members.map((m) => `  ${m}`)]);
  });
}
