// The slash commands about the wallet and its names, outside any one chat: `/balance`, `/history`,
// `/contacts`, `/register`.
import { formatAmount } from "../../../../protocol/amounts.ts";
import { readBalance } from "../../../actions/readBalance.ts";
import { readHistory } from "../../../actions/readHistory.ts";
import { registerUsername } from "../../../chat/registerUsername.ts";
import { listContacts } from "../../../contacts/listContacts.ts";
import { CliError } from "../../errors.ts";
import type { SlashCommand } from "./slash.ts";

export const balance: SlashCommand = {
  name: "balance",
  usage: [["/balance", "your balance, and the native coin for gas"]],
  run: async ({ session, ui }) => {
    const read = await readBalance(session.connection.client, { address: session.me });
    ui.say([`${read.balance.formatted} ${read.token.symbol}, ${read.native.formatted} ${read.native.symbol} for gas`]);
  },
};

export const history: SlashCommand = {
  name: "history",
  usage: [["/history", "your last 10 transfers"]],
  run: async ({ session, ui }) => {
    const read = await readHistory(session.connection.client, {
      address: session.me,
      fromBlock: BigInt(session.connection.deployment.deployBlock),
      limit: 10,
    });
    const line = async (e: (typeof read.entries)[number]) =>
      `${e.direction.padEnd(4)} ${formatAmount(e.units, read.token.decimals).padStart(12)} ${read.token.symbol}  ${await session.names.label(e.counterparty)}  ${e.hash.slice(0, 12)}`;
    ui.say(read.entries.length === 0 ? ["no transfers yet"] : await Promise.all(read.entries.map(line)));
  },
};

export const contacts: SlashCommand = {
  name: "contacts",
  usage: [["/contacts", "your contacts (gram contacts add name 0x…)"]],
  run: async ({ cli, ui }) => {
    const list = await listContacts({ home: cli.home });
    ui.say(
      list.length === 0 ? ["no contacts: gram contacts add name 0x…"] : list.map((c) => `@${c.name}  ${c.address}`),
    );
  },
};

export const register: SlashCommand = {
  name: "register",
  usage: [["/register name", "take a username on the hub: others reach you as @name"]],
  run: async ({ session, ui }, { args }) => {
    const name = args[0];
    if (name === undefined) throw new CliError("USAGE", "/register which name?");
    const user = await registerUsername(session.chat, name.replace(/^@/, ""));
    ui.say([`registered @${user.username}`]);
  },
};
