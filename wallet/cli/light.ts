// What `gram balance --node` and `gram history --node` need before asking the node (the account's
// address, the deployment's token), through modules that do not load viem (importing it
// costs ~330 ms, more than the rest of such a read: see protocol/checksum.ts). Anything out of the
// ordinary falls back to the full code, which reports it exactly as every other command does.
import type { Address } from "viem";
import { loadDeployment } from "../../protocol/deployment-record.ts";
import { listAccounts } from "../keys/listAccounts.ts";
import { accountWanted, deploymentsDir } from "./config.ts";
import type { Cli } from "./options.ts";

/**
 * The address `selectAccount` would choose, for the default account or `--account <n>`, from the
 * keystores' clear-text fields (`listAccounts`, which needs no password). Anything out of the ordinary —
 * an unreadable keystore, `--account <address>`, no such account — goes to `selectAccount` itself, with
 * its warnings and errors.
 */
export async function readAccountAddress(cli: Cli): Promise<Address> {
  const full = async () => (await (await import("./context.ts")).selectAccount(cli)).address;
  const wanted = accountWanted(cli);
  if (wanted !== undefined && !/^\d+$/.test(wanted)) return full();
  const { accounts, unreadable } = await listAccounts({ home: cli.home }).catch(() => ({
    accounts: [],
    unreadable: [1],
  }));
  if (unreadable.length > 0) return full();
  const found = accounts[wanted === undefined ? 0 : Number(wanted)];
  return found?.address ?? full();
}

/**
 * The GramToken address recorded in `<deployments>/<chainId>.json` (to show only that token's balance);
 * undefined when there is no such record or it cannot be read.
 */
export async function recordedToken(cli: Cli, chainId: number): Promise<Address | undefined> {
  return loadDeployment(chainId, deploymentsDir(cli)).then(
    (deployment) => deployment.contracts.GramToken.address,
    () => undefined,
  );
}
