// What every command that touches keys or the chain needs, built once from the global options: the
// home folder, the chosen account, its password, and a GramClient on the configured chain with the
// deployment's contracts. Imported lazily by the commands (it pulls in viem).
import { basename } from "node:path";
import { createInterface } from "node:readline/promises";
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  webSocket,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Deployment, loadDeployment } from "../../protocol/deployments.ts";
import { createGramClient, type GramClient } from "../actions/client.ts";
import type { Confirm } from "../actions/internal/submitTransaction.ts";
import { parseAddress } from "../address.ts";
import { resolveRecipient } from "../contacts/resolveRecipient.ts";
import { ChainError, EmptyPasswordError, FileRefusedError } from "../errors.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { type AccountInfo, listAccounts } from "../keys/listAccounts.ts";
import { type UnlockAccountReturnType, unlockAccount } from "../keys/unlockAccount.ts";
import type { TransactionSummary } from "../summary/types.ts";
import { accountWanted, deploymentsDir, rpcUrl } from "./config.ts";
import { CliError } from "./errors.ts";
import type { Cli } from "./options.ts";
import { renderSummary } from "./render.ts";

export interface Connection {
  client: GramClient;
  deployment: Deployment;
  publicClient: PublicClient<Transport, Chain>;
}

/** A client on the RPC's chain with that chain's deployment; `account` signs when given. */
export async function connect(cli: Cli, account?: UnlockAccountReturnType): Promise<Connection> {
  const url = rpcUrl(cli);
  const transport = /^wss?:/.test(url) ? webSocket(url) : http(url, { retryCount: 1 });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch (cause) {
    throw new ChainError(`could not reach the chain's RPC at ${url}`, {
      cause,
      hint: "start a chain (`npm start`) or point --rpc / GRAM_RPC at one",
    });
  }
  const deployment = await loadDeployment(chainId, deploymentsDir(cli));
  const chain = defineChain({
    id: chainId,
    name: chainId === 31337 ? "Hardhat" : `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const walletClient = account
    ? createWalletClient({ chain, transport, account: privateKeyToAccount(account.privateKey) })
    : undefined;
  const client = await createGramClient({
    publicClient,
    walletClient,
    chainId,
    contracts: { token: deployment.contracts.GramToken.address, escrow: deployment.contracts.MerchantEscrow.address },
    home: cli.home,
  });
  return { client, deployment, publicClient };
}

/**
 * `--account`: a number is the account's position in `gram accounts`, `0x…` an address, and a name (`alice`
 * or `@alice`) the contact of that name, which must be one of this wallet's accounts; by default the first
 * account. A keystore that cannot be read is reported rather than skipped silently.
 */
export async function selectAccount(cli: Cli): Promise<AccountInfo> {
  const { accounts, unreadable } = await listAccounts({ home: cli.home });
  for (const { error } of unreadable) cli.out.note(`warning: ${error.shortMessage}`);
  const wanted = accountWanted(cli);
  if (wanted === undefined) {
    const first = accounts[0];
    if (first) return first;
    if (unreadable[0]) throw unreadable[0].error;
    throw new CliError("NO_ACCOUNT", `no account in ${cli.home}`, {
      hint: "create one with `gram init`, or import one with `gram import`",
    });
  }
  if (/^\d+$/.test(wanted)) {
    const found = accounts[Number(wanted)];
    if (found) return found;
    throw new CliError(
      "NO_ACCOUNT",
      `--account ${wanted}: there are ${accounts.length} accounts (0..${accounts.length - 1})`,
      {
        hint: "`gram accounts` lists them with their numbers",
      },
    );
  }
  const address = wanted.startsWith("0x")
    ? parseAddress(wanted, "--account")
    : (await resolveRecipient({ home: cli.home, recipient: `@${wanted.replace(/^@/, "")}` })).address;
  const found = accounts.find((a) => a.address === address);
  if (found) return found;
  const broken = unreadable.find(({ file }) => basename(file).toLowerCase() === `${address.toLowerCase()}.json`);
  if (broken) throw broken.error;
  throw new CliError("NO_ACCOUNT", `--account ${address}: no keystore for it in ${cli.home}`, {
    hint: "`gram accounts` lists the accounts this wallet holds",
  });
}

/** Decrypts the account's keystore, showing progress on a terminal and any file-mode warning. */
export async function unlock(cli: Cli, account: AccountInfo): Promise<UnlockAccountReturnType> {
  const password = await readPassword(cli, { purpose: `password for ${account.address}` });
  try {
    const unlocked = await unlockAccount({
      home: cli.home,
      address: account.address,
      password,
      onProgress: (f) => cli.out.progress(`unlocking ${account.address} ${Math.round(f * 100)}%`),
    });
    for (const warning of unlocked.warnings) cli.out.note(`warning: ${warning}`);
    return unlocked;
  } finally {
    cli.out.progress(undefined);
  }
}

/**
 * The password: `--password-file` (one trailing newline dropped; a regular file or a pipe, at most 4 KiB,
 * read within 30 s), else `$GRAM_PASSWORD`, else asked on
 * the terminal (twice for a new one). Never echoed, never put in an error.
 */
export async function readPassword(cli: Cli, { purpose, isNew = false }: { purpose: string; isNew?: boolean }) {
  let password: string | undefined;
  if (cli.options.passwordFile !== undefined) {
    try {
      password = (await readBoundedFile(cli.options.passwordFile, FILE_BOUNDS.password)).replace(/\r?\n$/, "");
    } catch (error) {
      if (error instanceof FileRefusedError) {
        throw new CliError("PASSWORD_FILE", error.shortMessage, { details: error.code, hint: error.hint });
      }
      throw new CliError("PASSWORD_FILE", `--password-file: cannot read '${cli.options.passwordFile}'`, {
        details: (error as NodeJS.ErrnoException).code,
      });
    }
  } else if (cli.env.GRAM_PASSWORD !== undefined) {
    password = cli.env.GRAM_PASSWORD;
  } else if (process.stdin.isTTY && !cli.options.json) {
    password = await promptHidden(`${purpose}: `);
    if (isNew && password !== "" && (await promptHidden("again: ")) !== password) {
      throw new CliError("PASSWORD_MISMATCH", "the two passwords differ; nothing was written");
    }
  } else {
    throw new CliError("NO_PASSWORD", `${purpose}: none given`, {
      hint: "pass --password-file <file> or set GRAM_PASSWORD (no terminal to ask on)",
    });
  }
  if (password === "") {
    throw new EmptyPasswordError("password is empty", {
      hint: "a keystore needs a password; check --password-file or GRAM_PASSWORD",
    });
  }
  return password;
}

/** scrypt's cost for new keystores: the default, or `$GRAM_SCRYPT_N` (tests lower it to stay fast). */
export function scryptN(cli: Cli): number | undefined {
  const text = cli.env.GRAM_SCRYPT_N;
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1024 || n > 2 ** 20 || (n & (n - 1)) !== 0) {
    throw new CliError("INVALID_OPTION", `GRAM_SCRYPT_N: got '${text}', expected a power of 2 from 1024 to 2^20`);
  }
  return n;
}

/**
 * Shows each summary before signing and asks: `--yes` answers for the user; without a terminal to ask
 * on, nothing is signed. In --json mode the summaries are collected into the result instead.
 */
export function confirmer(cli: Cli, shown: TransactionSummary[], labels: Record<string, string> = {}): Confirm {
  return async (summary) => {
    shown.push(summary);
    if (!cli.options.json) cli.out.stderr(`${renderSummary(summary, labels).join("\n")}\n`);
    if (cli.options.yes) return true;
    if (!process.stdin.isTTY || cli.options.json) {
      throw new CliError("NOT_CONFIRMED", `${summary.action}: not confirmed; nothing was signed`, {
        hint: "pass --yes to sign without being asked (no terminal to ask on)",
      });
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question("Sign and send? [y/N] ")).trim());
    } finally {
      rl.close();
    }
  };
}

async function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let text = "";
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          done();
          resolve(text);
          return;
        }
        if (ch === "\u0003") {
          done();
          reject(new CliError("INTERRUPTED", "interrupted; nothing was done"));
          return;
        }
        text = ch === "\u007f" || ch === "\b" ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Signs with `unlocked` from now on: inputs are checked read-only first, so a typo never costs an unlock. */
export function useAccount(client: GramClient, unlocked: UnlockAccountReturnType): GramClient {
  client.account = privateKeyToAccount(unlocked.privateKey);
  return client;
}
