#!/usr/bin/env node
// `gram`: the wallet's command line, a thin shell over wallet/ actions. Only commander is loaded up
// front; each command imports what it needs (viem, ethers) when it runs, so `gram --version` and
// `gram --help` start in tens of milliseconds.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerChat } from "./commands/chat/commands.ts";
import { addGlobalOptions, ENVIRONMENT } from "./flags.ts";
import type { Cli } from "./options.ts";
import type { CommandResult } from "./output.ts";
import { exit, printError, runCommand } from "./run.ts";

const commands = {
  keys: () => import("./commands/keys.ts"),
  reads: () => import("./commands/reads.ts"),
  payments: () => import("./commands/payments.ts"),
  invoices: () => import("./commands/invoices.ts"),
  escrow: () => import("./commands/escrow.ts"),
  contacts: () => import("./commands/contacts.ts"),
  tx: () => import("./commands/tx.ts"),
  authorization: () => import("./commands/authorization.ts"),
};

/** package.json's version, from the source tree (wallet/cli) or from dist/wallet/cli. */
function version(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "gram" && pkg.version) return pkg.version;
    } catch {}
  }
  return "unknown";
}

const EXAMPLES = `
Examples:
  gram init --password-file pw.txt             create a wallet (12 words), print its address
  gram balance                                 token and gas balance of account 0
  gram contacts add bob 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
  gram send @bob 12.5                          shows a summary, asks, signs, sends
  gram request 5 --memo lunch --expires 1h     a gram:request link and its QR code
  gram invoice create 12.5 --title Margherita --item "Margherita:1:12.5" --max-tip 3
  gram pay 'gram:invoice/…' --tip 1            pay a link (invoice, request or EIP-681)
  gram capture 0x3f2a9c 12.5                   merchant: capture what the escrow holds
  gram --json --yes --password-file pw.txt send 0x7099…79C8 1    for scripts

Environment: ${ENVIRONMENT.join(", ")}.
Exit codes: 0 done, 1 bad input or refused (nothing was signed), 2 chain or node failure.
--json prints one object: {"ok":true,...} or {"ok":false,"error":{"code","message","hint"}}.`;

export function buildProgram(): Command {
  const program = addGlobalOptions(
    new Command("gram")
      .description("Gram wallet: keys, payments, invoices and escrow from the command line")
      .version(version(), "-V, --version"),
  )
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError("(gram --help shows usage)")
    // Subcommands inherit both: usage errors throw (exit 1, or JSON with --json) instead of exiting.
    .exitOverride()
    .configureOutput({
      writeErr: (text) => (json ? undefined : process.stderr.write(text)),
      outputError: (text, write) => (json ? undefined : write(text)),
    });

  // commander calls an action with the arguments, the command's options, then the command.
  const on =
    <A extends unknown[]>(body: (cli: Cli, ...args: A) => Promise<CommandResult>) =>
    async (...raw: unknown[]) => {
      const command = raw.at(-1) as Command;
      await runCommand(command, (cli) => body(cli, ...(raw.slice(0, -1) as A)));
    };

  // --- keys -------------------------------------------------------------------------------------
  program
    .command("init")
    .description("create a wallet: a new recovery phrase and account 0, in an encrypted keystore")
    .option("--words <n>", "12 or 24 words", "12")
    .option("--show-mnemonic", "print the recovery phrase, this once")
    .action(
      on(async (cli, options: { words?: string; showMnemonic?: boolean }) =>
        (await commands.keys()).init(cli, options),
      ),
    );
  program
    .command("import")
    .description("import an account from a recovery phrase or a private key, read from a file")
    .option("--mnemonic-file <file>", "file holding the recovery phrase")
    .option("--index <i>", "account number on m/44'/60'/0'/0/i (with --mnemonic-file)")
    .option("--private-key-file <file>", "file holding a hex private key")
    .action(
      on(async (cli, options: { mnemonicFile?: string; privateKeyFile?: string; index?: string }) =>
        (await commands.keys()).importKey(cli, options),
      ),
    );
  program
    .command("accounts")
    .description("list the accounts (no password needed); --add derives the next one")
    .option("--add", "derive the next account from the recovery phrase")
    .action(on(async (cli, options: { add?: boolean }) => (await commands.keys()).accounts(cli, options)));
  program
    .command("address")
    .description("print the account's address")
    .action(on(async (cli) => (await commands.keys()).address(cli)));
  program
    .command("export")
    .description("print the account's private key and recovery phrase (needs --reveal)")
    .option("--reveal", "yes, print the secrets")
    .action(on(async (cli, options: { reveal?: boolean }) => (await commands.keys()).exportKey(cli, options)));

  // --- reads ------------------------------------------------------------------------------------
  program
    .command("balance")
    .description("token balance (from --node when set, else the chain) and gas balance")
    .option("--of <address>", "another address")
    .action(on(async (cli, options: { of?: string }) => (await commands.reads()).balance(cli, options)));
  program
    .command("history")
    .description("transfers in and out, newest first")
    .option("--of <address>", "another address")
    .option("--limit <n>", "at most this many entries", "50")
    .option("--csv", "as CSV")
    .action(
      on(async (cli, options: { of?: string; csv?: boolean; limit?: string }) =>
        (await commands.reads()).history(cli, options),
      ),
    );

  // --- payments ---------------------------------------------------------------------------------
  program
    .command("send")
    .description("send tokens to an address or @contact")
    .argument("<to>", "0x address or @name")
    .argument("<amount>", "in whole tokens, e.g. 12.5")
    .option("--token <address>", "another ERC-20 than the configured GramToken")
    .option("--gasless", "sign an ERC-3009 authorization for the node's relayer (needs --node)")
    .option("--i-know", "send despite a blocking warning (look-alike address, token contract)")
    .action(
      on(async (cli, to: string, amount: string, options: { token?: string; gasless?: boolean; iKnow?: boolean }) =>
        (await commands.payments()).send(cli, to, amount, options),
      ),
    );
  program
    .command("request")
    .description("ask to be paid: prints a gram:request link and its QR code")
    .argument("<amount>", "in whole tokens")
    .option("--memo <text>", "what it is for")
    .option("--expires <duration>", "e.g. 30m, 2h, 7d")
    .option("--png <file>", "also write the QR code as PNG")
    .option("--svg <file>", "also write the QR code as SVG")
    .action(
      on(async (cli, amount: string, options: { memo?: string; expires?: string; png?: string; svg?: string }) =>
        (await commands.payments()).request(cli, amount, options),
      ),
    );
  program
    .command("pay")
    .description("pay a link: gram:invoice/…, gram:request/… or ethereum:…")
    .argument("<link>")
    .option("--tip <amount>", "for invoices: a tip on top, up to the invoice's maximum")
    .option("--gasless", "the node's relayer pays the gas (needs --node)")
    .option("--permit", "for invoices: one transaction with an EIP-2612 permit instead of approve + pay")
    .option("--amount <amount>", "for links that leave the amount to the payer")
    .option("--i-know", "pay despite a blocking warning")
    .action(
      on(
        async (
          cli,
          link: string,
          options: { tip?: string; gasless?: boolean; permit?: boolean; amount?: string; iKnow?: boolean },
        ) => (await commands.payments()).pay(cli, link, options),
      ),
    );

  // --- invoices ---------------------------------------------------------------------------------
  const invoice = program.command("invoice").description("merchant invoices: create, list, show, cancel");
  invoice
    .command("create")
    .description("create and sign an invoice; prints its gram:invoice link and QR code")
    .argument("<amount>", "held in escrow, in whole tokens")
    .requiredOption("--title <text>", "what is sold")
    .option("--item <name:qty:price>", "a line of the invoice (repeat)", (value: string, all: string[] = []) => [
      ...all,
      value,
    ])
    .option("--memo <text>", "a note to the payer")
    .option("--max-tip <amount>", "the largest tip the payer may add", "0")
    .option("--cashback <bps|%>", "share of captures paid back to the payer: 250 or 2.5%")
    .option("--payer <address|@name>", "only this account may pay (default: whoever pays first)")
    .option("--expires <duration>", "pay within (default 1d)")
    .option("--capture-within <duration>", "after the pay deadline (default 7d)")
    .option("--refund-within <duration>", "after the capture deadline (default 30d)")
    .option("--ref <text>", "chat or order reference")
    .option("--png <file>", "also write the QR code as PNG")
    .option("--svg <file>", "also write the QR code as SVG")
    .action(
      on(async (cli, amount: string, options: import("./commands/invoices.ts").CreateOptions) =>
        (await commands.invoices()).create(cli, amount, options),
      ),
    );
  invoice
    .command("list")
    .description("invoices kept by this wallet, with their state on the escrow")
    .option("--role <merchant|payer>", "only those created, or only those paid")
    .action(on(async (cli, options: { role?: string }) => (await commands.invoices()).list(cli, options)));
  invoice
    .command("show")
    .argument("<id>", "invoice id or a prefix of at least 6 hex digits")
    .description("one invoice, its state and its link")
    .action(on(async (cli, id: string) => (await commands.invoices()).show(cli, id)));
  invoice
    .command("cancel")
    .argument("<id|link>")
    .description("spend an unpaid invoice's number so that its link can no longer be paid")
    .action(on(async (cli, ref: string) => (await commands.escrow()).cancel(cli, ref)));

  // --- escrow -----------------------------------------------------------------------------------
  const byRef = "invoice id (prefix of 6+ hex digits) or gram:invoice link";
  program
    .command("capture")
    .description("merchant: capture held funds to the escrow balance")
    .argument("<invoice>", byRef)
    .argument("<amount>")
    .action(on(async (cli, ref: string, amount: string) => (await commands.escrow()).capture(cli, ref, amount)));
  program
    .command("void")
    .description("merchant: return everything held to the payer")
    .argument("<invoice>", byRef)
    .action(on(async (cli, ref: string) => (await commands.escrow()).onHeld(cli, "void", ref)));
  program
    .command("refund")
    .description("merchant: pay back part of what was captured")
    .argument("<invoice>", byRef)
    .argument("<amount>")
    .action(on(async (cli, ref: string, amount: string) => (await commands.escrow()).refund(cli, ref, amount)));
  program
    .command("withdraw")
    .description("merchant: pay out the escrow balance, less the withdrawal fee")
    .argument("<amount>")
    .option("--to <address|@name>", "default: yourself")
    .option("--token <address>", "default: the configured GramToken")
    .action(
      on(async (cli, amount: string, options: { to?: string; token?: string }) =>
        (await commands.escrow()).withdraw(cli, amount, options),
      ),
    );
  program
    .command("confirm")
    .description("payer: release everything held to the merchant")
    .argument("<invoice>", byRef)
    .action(on(async (cli, ref: string) => (await commands.escrow()).onHeld(cli, "confirm", ref)));
  program
    .command("reclaim")
    .description("payer: take back what was not captured in time")
    .argument("<invoice>", byRef)
    .action(on(async (cli, ref: string) => (await commands.escrow()).onHeld(cli, "reclaim", ref)));
  program
    .command("dispute")
    .description("payer: freeze held funds until the arbiter resolves")
    .argument("<invoice>", byRef)
    .action(on(async (cli, ref: string) => (await commands.escrow()).onHeld(cli, "dispute", ref)));
  program
    .command("resolve")
    .description("arbiter: settle a dispute; <to-payer> goes back to the payer, the rest to the merchant")
    .argument("<invoice>", byRef)
    .argument("<to-payer>")
    .action(on(async (cli, ref: string, toPayer: string) => (await commands.escrow()).resolve(cli, ref, toPayer)));

  // --- contacts and transactions ------------------------------------------------------------------
  const contacts = program.command("contacts").description("the address book behind @name");
  contacts
    .command("add")
    .argument("<name>")
    .argument("<address>")
    .action(on(async (cli, name: string, address: string) => (await commands.contacts()).add(cli, name, address)));
  contacts.command("list").action(on(async (cli) => (await commands.contacts()).list(cli)));
  contacts
    .command("remove")
    .argument("<name>")
    .action(on(async (cli, name: string) => (await commands.contacts()).remove(cli, name)));

  const tx = program.command("tx").description("replace a pending transaction (same nonce)");
  tx.command("speed-up")
    .argument("<hash>")
    .description("resend with fees raised by at least 10%")
    .action(on(async (cli, hash: string) => (await commands.tx()).replace(cli, "speed-up", hash)));
  tx.command("cancel")
    .argument("<hash>")
    .description("replace with a 0-value transaction to yourself")
    .action(on(async (cli, hash: string) => (await commands.tx()).replace(cli, "cancel", hash)));

  const authorization = program
    .command("authorization")
    .description("signed ERC-3009 authorizations (gasless payments) that no relayer has used");
  authorization
    .command("cancel")
    .argument("<nonce>", "the authorization's nonce, as a failed gasless payment printed it")
    .option("--token <address>", "default: the configured GramToken")
    .description("make a signed, unused authorization unusable (you pay the gas)")
    .action(
      on(async (cli, nonce: string, options: { token?: string }) =>
        (await commands.authorization()).cancel(cli, nonce, options),
      ),
    );

  registerChat(program, on);
  return program;
}

const json = process.argv.includes("--json");

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  if (error.exitCode === 0) await exit(0);
  // Usage errors (unknown command or option, missing argument) are the user's: exit 1.
  // commander has printed its message (and the usage hint) unless --json.
  if (json) {
    // commander appends its suggestion on a second line: "(Did you mean send?)".
    const [message = "", ...rest] = error.message.replace(/^error: /, "").split("\n");
    const hint = rest.join(" ").replace(/^\((.*)\)$/, "$1");
    printError(true, { code: "USAGE", message, ...(hint ? { hint } : {}) });
  } else process.stderr.write("  code: USAGE\n");
  await exit(1);
}
