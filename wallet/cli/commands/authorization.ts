// authorization cancel <nonce>: makes a signed ERC-3009 authorization unusable, for one a relayer holds but
// did not send (or sent to nowhere). The account sends the cancellation itself and pays its gas: the
// relayer offers no cancel route. A gasless payment that failed names the command with its nonce.
import { type Hex, isHex } from "viem";
import { gramTokenAbi } from "../../../protocol/abis.ts";
import { cancelAuthorization } from "../../actions/cancelAuthorization.ts";
import { parseAddress } from "../../address.ts";
import { AuthorizationUsedError } from "../../errors.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { confirmer, connect, selectAccount, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { waitFor } from "./transfer.ts";

export async function cancel(cli: Cli, nonce: string, options: { token?: string }): Promise<CommandResult> {
  if (!isHex(nonce, { strict: true }) || nonce.length !== 66) {
    throw new CliError(
      "INVALID_NONCE",
      `'${nonce.slice(0, 80)}' is not an authorization nonce; expected 0x and 64 hex digits (as the failed payment printed it)`,
    );
  }
  const id = nonce.toLowerCase() as Hex;
  const account = await selectAccount(cli);
  const token = options.token === undefined ? undefined : parseAddress(options.token, "--token");
  const connection = await connect(cli);
  const { client } = connection;
  // Read-only, before the password is asked for: an authorization already used or canceled is told at once.
  const used = await client.publicClient.readContract({
    address: token ?? client.contracts.token,
    abi: gramTokenAbi,
    functionName: "authorizationState",
    args: [account.address, id],
  });
  if (used) {
    throw new AuthorizationUsedError(
      `authorization ${id} of ${account.address} is already used or canceled: nothing to cancel`,
      { hint: "`gram history` shows whether a transaction used it" },
    );
  }
  useAccount(client, await unlock(cli, account));
  const shown: TransactionSummary[] = [];
  const sent = await cancelAuthorization(client, { nonce: id, token, confirm: confirmer(cli, shown) });
  const receipt = await waitFor(client, sent.hash);
  return result(
    { authorizer: account.address, nonce: id, token: sent.token, hash: sent.hash, ...receipt, summary: sent.summary },
    [
      `canceled authorization ${id}: nobody can submit it any more`,
      `tx ${sent.hash} ${receipt.status} in block ${receipt.blockNumber}`,
    ],
  );
}
