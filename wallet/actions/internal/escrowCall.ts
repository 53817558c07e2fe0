import { type ContractFunctionArgs, type ContractFunctionName, encodeFunctionData } from "viem";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { GramClient } from "../client.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./submitTransaction.ts";

type EscrowWrite = ContractFunctionName<typeof merchantEscrowAbi, "nonpayable">;

/** Sends one call to the configured escrow through `submitTransaction` (summary, confirm, nonce). */
export function escrowCall<name extends EscrowWrite>(
  client: GramClient,
  functionName: name,
  args: ContractFunctionArgs<typeof merchantEscrowAbi, "nonpayable", name>,
  confirm: Confirm | undefined,
): Promise<SentTransaction> {
  const data = encodeFunctionData({ abi: merchantEscrowAbi, functionName, args } as never);
  return submitTransaction(client, { to: client.contracts.escrow, data }, { confirm, what: functionName });
}
