// The global options' values, each resolved by one function: the flag, else its environment variable,
// else its default (protocol/settings.ts, shared with the node and the scripts), checked, with an error
// that names the flag or variable, what it got and what was expected.
import {
  deploymentsDir as resolveDeploymentsDir,
  nodeUrl as resolveNodeUrl,
  rpcUrl as resolveRpcUrl,
  resolveSetting,
  SettingError,
} from "../../protocol/settings.ts";
import { createNodeClient, type NodeClient } from "../node/createNodeClient.ts";
import { http } from "../node/http.ts";
import { CliError } from "./errors.ts";
import { FLAGS, flagName } from "./flags.ts";
import type { Cli } from "./options.ts";

/** A value that does not fit is the user's to fix: INVALID_OPTION, exit 1. */
function checked<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof SettingError) throw new CliError("INVALID_OPTION", error.message);
    throw error;
  }
}

/** `--rpc`, else `$GRAM_RPC`, else the local chain of `npm start`; checked for a scheme viem can use. */
export function rpcUrl(cli: Cli): string {
  return checked(() => resolveRpcUrl({ given: cli.options.rpc, env: cli.env }) as string);
}

/** `--node`, else `$GRAM_NODE`; undefined when neither is set. */
export function nodeUrl(cli: Cli): string | undefined {
  return checked(() => resolveNodeUrl({ given: cli.options.node, env: cli.env }));
}

/** The node's URL, or NO_NODE saying what needed one. */
export function requireNode(cli: Cli, why: string): string {
  const url = nodeUrl(cli);
  if (url === undefined) {
    throw new CliError("NO_NODE", `${why} needs a gram node`, {
      hint: `pass ${flagName(FLAGS.node)} <url> or set ${FLAGS.node.env}`,
    });
  }
  return url;
}

/** A client of the node at `url` (`nodeUrl`, `requireNode`). */
export function nodeClient(url: string): NodeClient {
  return createNodeClient({ transport: http(url) });
}

/** `--deployments`, else `$GRAM_DEPLOYMENTS_DIR`, else `deployments`. */
export function deploymentsDir(cli: Cli): string {
  return resolveDeploymentsDir({ given: cli.options.deployments, env: cli.env });
}

/** `--account`, else `$GRAM_ACCOUNT`; undefined for the default (the first account). */
export function accountWanted(cli: Cli): string | undefined {
  const { value } = resolveSetting(
    { flag: flagName(FLAGS.account), env: FLAGS.account.env },
    cli.options.account,
    cli.env,
  );
  return value === "" ? undefined : value;
}
