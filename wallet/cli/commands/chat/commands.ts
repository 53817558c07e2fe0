// `gram chat` and its subcommands, registered on the program. Only commander is loaded here; each
// command imports its code (viem, ws) when it runs: one module per command or group of commands, none
// importing another (what they share is in session.ts, money.ts and view.ts).
import type { Command } from "commander";
import type { Cli } from "../../options.ts";
import type { CommandResult } from "../../output.ts";

/** main.ts's wrapper: runs a command body with the CLI context, prints its result, sets the exit code. */
export type On = <A extends unknown[]>(
  body: (cli: Cli, ...args: A) => Promise<CommandResult>,
) => (...raw: unknown[]) => Promise<void>;

const hub = () => import("./hub-commands.ts");
const money = () => import("./money-commands.ts");

export function registerChat(program: Command, on: On) {
  const group = program
    .command("chat")
    .description("chat and pay in chat: interactive without a subcommand; send/read/pay/… for scripts")
    .option("--to <peer>", "open this chat first: @name, address or group id")
    .option("--chat <url>", "the chat hub, if not the node's /v1/chat (GRAM_CHAT)")
    .action(on(async (cli, options: { to?: string }) => (await import("./interactive.ts")).interactive(cli, options)));
  group
    .command("register")
    .description("take a username on the hub: others reach you as @name")
    .argument("<username>", "3–32 of a–z, 0–9 and _, starting with a letter")
    .action(on(async (cli, username: string) => (await hub()).register(cli, username)));
  group
    .command("send")
    .description("send a text message")
    .argument("<to>", "@name, address or group id")
    .argument("<text...>")
    .action(on(async (cli, to: string, text: string[]) => (await hub()).send(cli, to, text)));
  group
    .command("pay")
    .description("pay someone and say so in your chat (direct transfer; --gasless through the node's relayer)")
    .argument("<to>", "@name or address")
    .argument("<amount>", "in whole tokens, e.g. 12.5")
    .argument("[memo...]")
    .option("--gasless", "the node's relayer submits and pays the gas")
    .option("--i-know", "pay despite a blocking warning")
    .action(
      on(async (cli, to: string, amount: string, memo: string[], options: { gasless?: boolean; iKnow?: boolean }) =>
        (await money()).pay(cli, to, amount, memo, options),
      ),
    );
  group
    .command("request")
    .description("ask someone to pay you: a request card (nothing is signed but the message)")
    .argument("<to>", "@name or address")
    .argument("<amount>")
    .argument("[memo...]")
    .option("--expires <duration>", "e.g. 30m, 2h, 7d (default 7d)")
    .action(
      on(async (cli, to: string, amount: string, memo: string[], options: { expires?: string }) =>
        (await money()).request(cli, to, amount, memo, options),
      ),
    );
  group
    .command("invoice")
    .description("merchant: sign an invoice for someone and send it as a card")
    .argument("<to>", "@name or address: the payer")
    .argument("<amount>", "held in escrow, in whole tokens")
    .argument("<title>")
    .option("--tip-max <amount>", "the largest tip the payer may add", "0")
    .option("--cashback <bps|%>", "share of captures paid back to the payer: 250 or 2.5%")
    .option("--memo <text>", "a note to the payer")
    .option("--expires <duration>", "pay within (default 1d)")
    .action(
      on(
        async (
          cli,
          to: string,
          amount: string,
          title: string,
          options: { tipMax?: string; cashback?: string; memo?: string; expires?: string },
        ) => (await money()).invoice(cli, to, amount, title, options),
      ),
    );
  group
    .command("pay-card")
    .description("pay a request or invoice card by its message id (from `gram chat read`)")
    .argument("<message-id>", "0x and at least 6 hex digits of the card's message id")
    .option("--tip <amount>", "for invoices: a tip on top")
    .option("--gasless", "the node's relayer submits and pays the gas")
    .option("--i-know", "pay despite a blocking warning")
    .action(
      on(async (cli, id: string, options: { tip?: string; gasless?: boolean; iKnow?: boolean }) =>
        (await money()).payCardCommand(cli, id, options),
      ),
    );
  group
    .command("read")
    .description("messages since the last read, in order, each payment with what the chain says of it")
    .argument("[peer]", "only this chat (the others' messages are kept for the next read)")
    .option("--wait-ms <n>", "wait up to n ms for a message if none is waiting")
    .action(
      on(async (cli, peer: string | undefined, options: { waitMs?: string }) =>
        (await import("./read.ts")).read(cli, peer, options),
      ),
    );
  group
    .command("group")
    .description("groups")
    .command("create")
    .description("create a group with these members (and you)")
    .argument("<name>")
    .argument("<members...>", "@name or address")
    .action(on(async (cli, name: string, members: string[]) => (await hub()).groupCreate(cli, name, members)));
}
