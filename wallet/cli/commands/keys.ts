// Keys: init, import, accounts, address, export. Key material is printed by `export --reveal` and by
// `init --show-mnemonic`, and nowhere else.
import { FileRefusedError } from "../../errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "../../internal/readBoundedFile.ts";
import { addDerivedAccount } from "../../keys/addDerivedAccount.ts";
import { createMnemonic } from "../../keys/createMnemonic.ts";
import { deriveAccount } from "../../keys/deriveAccount.ts";
import { importPrivateKey } from "../../keys/importPrivateKey.ts";
import { listAccounts } from "../../keys/listAccounts.ts";
import { writeKeystore } from "../../keys/writeKeystore.ts";
import { readPassword, scryptN, selectAccount, unlock } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";

export async function init(cli: Cli, options: { words?: string; showMnemonic?: boolean }): Promise<CommandResult> {
  const { accounts } = await listAccounts({ home: cli.home });
  if (accounts.length > 0) {
    throw new CliError("WALLET_EXISTS", `${cli.home} already holds ${accounts.length} account(s)`, {
      hint: "`gram accounts --add` derives another account; --home <dir> starts a separate wallet",
    });
  }
  const words = options.words === undefined ? 12 : Number(options.words);
  if (words !== 12 && words !== 24) {
    throw new CliError("INVALID_OPTION", `--words: got '${options.words}', expected 12 or 24`);
  }
  const password = await readPassword(cli, { purpose: "new password", isNew: true });
  const mnemonic = createMnemonic({ words });
  const account = deriveAccount({ mnemonic, index: 0 });
  const { address, file } = await writeKeystore({
    home: cli.home,
    account,
    password,
    scryptN: scryptN(cli),
    onProgress: (f) => cli.out.progress(`encrypting ${Math.round(f * 100)}%`),
  });
  cli.out.progress(undefined);
  const text = [`created ${address}`, `keystore ${file}`];
  if (options.showMnemonic) {
    text.push(
      "",
      "Your recovery phrase (write it down, keep it offline; it is shown this once):",
      "",
      `  ${mnemonic}`,
      "",
    );
  } else {
    text.push("the recovery phrase is stored encrypted in the keystore; `gram export --reveal` shows it");
  }
  return result({ address, file, path: account.path, ...(options.showMnemonic ? { mnemonic } : {}) }, text);
}

export async function importKey(
  cli: Cli,
  options: { mnemonicFile?: string; privateKeyFile?: string; index?: string },
): Promise<CommandResult> {
  if ((options.mnemonicFile === undefined) === (options.privateKeyFile === undefined)) {
    throw new CliError("USAGE", "import: give exactly one of --mnemonic-file <file> and --private-key-file <file>", {
      hint: "secrets are read from files so that they stay out of the shell's history",
    });
  }
  const source = (options.mnemonicFile ?? options.privateKeyFile) as string;
  let text: string;
  try {
    text = await readBoundedFile(
      source,
      options.mnemonicFile !== undefined ? FILE_BOUNDS.mnemonic : FILE_BOUNDS.privateKey,
    );
  } catch (error) {
    if (error instanceof FileRefusedError) throw error;
    throw new CliError("FILE", `cannot read '${source}'`, { details: (error as NodeJS.ErrnoException).code });
  }
  let account: { address: `0x${string}`; privateKey: `0x${string}`; mnemonic?: string; index?: number; path?: string };
  if (options.mnemonicFile !== undefined) {
    const index = options.index === undefined ? 0 : Number(options.index);
    if (options.index !== undefined && !/^\d{1,10}$/.test(options.index)) {
      throw new CliError("INVALID_OPTION", `--index: got '${options.index}', expected an account number 0..2^31-1`);
    }
    account = deriveAccount({ mnemonic: text, index });
  } else {
    if (options.index !== undefined) throw new CliError("USAGE", "--index goes with --mnemonic-file only");
    account = importPrivateKey({ privateKey: text });
  }
  const password = await readPassword(cli, { purpose: `new password for ${account.address}`, isNew: true });
  const { address, file } = await writeKeystore({ home: cli.home, account, password, scryptN: scryptN(cli) });
  return result({ address, file, ...(account.path ? { path: account.path } : {}) }, [
    `imported ${address}`,
    `keystore ${file}`,
  ]);
}

export async function accounts(cli: Cli, options: { add?: boolean }): Promise<CommandResult> {
  if (options.add) {
    const from = await selectAccount(cli);
    const password = await readPassword(cli, { purpose: `password for ${from.address}` });
    const added = await addDerivedAccount({ home: cli.home, from: from.address, password, scryptN: scryptN(cli) });
    return result({ address: added.address, file: added.file, index: added.index, path: added.path }, [
      `added ${added.address} (${added.path})`,
    ]);
  }
  const { accounts: list, unreadable } = await listAccounts({ home: cli.home });
  for (const { error } of unreadable) cli.out.note(`warning: ${error.shortMessage}`);
  return result(
    {
      accounts: list.map((a, number) => ({
        number,
        address: a.address,
        path: a.path ?? null,
        hasMnemonic: a.hasMnemonic,
        file: a.file,
      })),
    },
    list.length === 0
      ? [`no accounts in ${cli.home}; \`gram init\` creates one`]
      : list.map((a, n) => `${n}  ${a.address}  ${a.path ?? "imported key"}`),
  );
}

export async function address(cli: Cli): Promise<CommandResult> {
  const account = await selectAccount(cli);
  return result({ address: account.address }, account.address);
}

export async function exportKey(cli: Cli, options: { reveal?: boolean }): Promise<CommandResult> {
  if (!options.reveal) {
    throw new CliError("REVEAL_REQUIRED", "export prints the account's private key (and recovery phrase)", {
      hint: "pass --reveal if you mean it; anyone who sees them can take your funds",
    });
  }
  const account = await selectAccount(cli);
  const unlocked = await unlock(cli, account);
  const phrase = unlocked.mnemonic?.phrase;
  return result(
    {
      address: unlocked.address,
      privateKey: unlocked.privateKey,
      ...(phrase ? { mnemonic: phrase, path: unlocked.mnemonic?.path } : {}),
    },
    [
      `address      ${unlocked.address}`,
      `private key  ${unlocked.privateKey}`,
      ...(phrase ? [`mnemonic     ${phrase}`, `path         ${unlocked.mnemonic?.path}`] : []),
    ],
  );
}
