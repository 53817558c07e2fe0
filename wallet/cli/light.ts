// What `gram balance --node` and `gram history --node` need before asking the node (the URLs, the
// account's address, the deployment's token), through modules that do not load viem (importing it
// costs ~330 ms, more than the rest of such a read: see protocol/checksum.ts). Anything out of the
// ordinary falls back to the full code, which reports it exactly as every other command does.
import type { Address } from "viem";
import { loadDeployment } from "../../protocol/deployment-record.ts";
import { listAccounts } from "../keys/listAccounts.ts";
import { CliError } from "./errors.ts";
import type { Cli } from "./options.ts";

export const DEFAULT_RPC = "http://127.0.0.1:8545";

/** `--rpc`, else `$GRAM_RPC`, else the local chain of `npm start`; checked for a scheme viem can use. */
export function rpcUrl(cli: Cli): string {
  const url = cli.options.rpc ?? cli.env.GRAM_RPC ?? DEFAULT_RPC;
  return checkUrl(url, "--rpc", /^(https?|wss?):$/, "an http(s) or ws(s) URL");
}

/** `--node`, else `$GRAM_NODE`; undefined when neither is set. */
export function nodeUrl(cli: Cli): string | undefined {
  const url = cli.options.node ?? cli.env.GRAM_NODE;
  if (url === undefined || url === "") return undefined;
  return checkUrl(url, "--node", /^https?:$/, "an http(s) URL of a gram node");
}

export function requireNode(cli: Cli, why: string): string {
  const url = nodeUrl(cli);
  if (url === undefined) {
    throw new CliError("NO_NODE", `${why} needs a gram node`, { hint: "pass --node <url> or set GRAM_NODE" });
  }
  return url;
}

function checkUrl(url: string, flag: string, schemes: RegExp, expected: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed === undefined || !schemes.test(parsed.protocol)) {
    throw new CliError("INVALID_OPTION", `${flag}: got '${url.slice(0, 80)}', expected ${expected}`);
  }
  return url;
}

/**
 * The address `selectAccount` would choose, for the default account or `--account <n>`, from the
 * keystores' clear-text fields (`listAccounts`, which needs no password). Anything out of the ordinary —
 * an unreadable keystore, `--account <address>`, no such account — goes to `selectAccount` itself, with
 * its warnings and errors.
 */
export async function readAccountAddress(cli: Cli): Promise<Address> {
  const full = async () => (await (await import("./context.ts")).selectAccount(cli)).address;
  const wanted = cli.options.account ?? cli.env.GRAM_ACCOUNT;
  if (wanted !== undefined && wanted !== "" && !/^\d+$/.test(wanted)) return full();
  const { accounts, unreadable } = await listAccounts({ home: cli.home }).catch(() => ({
    accounts: [],
    unreadable: [1],
  }));
  if (unreadable.length > 0) return full();
  const found = accounts[wanted === undefined || wanted === "" ? 0 : Number(wanted)];
  return found?.address ?? full();
}

/**
 * The GramToken address recorded in `<deployments>/<chainId>.json` (to show only that token's balance);
 * undefined when there is no such record or it cannot be read.
 */
export async function recordedToken(cli: Cli, chainId: number): Promise<Address | undefined> {
  const dir = cli.options.deployments ?? (cli.env.GRAM_DEPLOYMENTS_DIR || "deployments");
  return loadDeployment(chainId, dir).then(
    (deployment) => deployment.contracts.GramToken.address,
    () => undefined,
  );
}
