// tx speed-up | cancel <hash>: replace a pending transaction with the same nonce.
import type { Hash } from "viem";
import { cancelTransaction } from "../../actions/cancelTransaction.ts";
import { speedUp as speedUpAction } from "../../actions/speedUp.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { confirmer, connect, selectAccount, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";

export async function replace(cli: Cli, how: "speed-up" | "cancel", hash: string): Promise<CommandResult> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new CliError(
      "INVALID_HASH",
      `'${hash.slice(0, 80)}' is not a transaction hash; expected 0x and 64 hex digits`,
    );
  }
  const account = await selectAccount(cli);
  const connection = await connect(cli);
  const client = useAccount(connection.client, await unlock(cli, account));
  const shown: TransactionSummary[] = [];
  const confirm = confirmer(cli, shown);
  const sent =
    how === "cancel"
      ? await cancelTransaction(client, { hash: hash as Hash, confirm })
      : await speedUpAction(client, { hash: hash as Hash, confirm });
  return result({ replaced: hash, hash: sent.hash, nonce: sent.nonce, summary: sent.summary }, [
    `${how}: sent ${sent.hash} with nonce ${sent.nonce}, replacing ${hash}`,
    "whichever of the two is mined first wins; the other is dropped",
  ]);
}
