import type { Hash } from "viem";
import type { RelayTransferRequestJson } from "../../protocol/relay.ts";
import type { NodeClient } from "../node/createNodeClient.ts";
import { relayTransfer } from "../node/relayTransfer.ts";
import type { TransactionSummary } from "../summary/types.ts";
import type { GramClient } from "./client.ts";
import { type SignGaslessTransferParameters, signGaslessTransfer } from "./signGaslessTransfer.ts";

export interface SendTransferGaslessParameters extends SignGaslessTransferParameters {
  /** The node whose relayer submits it. */
  node: NodeClient;
}

export interface SendTransferGaslessReturnType {
  /** The relayer's transaction: its word only until `waitForRelayedPayment` has checked it. */
  hash: Hash;
  /** What was signed and relayed: `waitForRelayedPayment` needs it. */
  request: RelayTransferRequestJson;
  summary: TransactionSummary;
}

/**
 * Sends a transfer without gas: `signGaslessTransfer` (after `confirm` is shown the summary), then
 * `relayTransfer` to the node's relayer. The answer is the relayer's word: wait for it with
 * `waitForRelayedPayment`, which says paid only when the chain shows this wallet's authorization used.
 *
 * @example
 * const { hash, request } = await sendTransferGasless(client, { node, to: "@bob", amount: "5" });
 * const receipt = await waitForRelayedPayment(client, { txHash: hash, request });
 */
export async function sendTransferGasless(
  client: GramClient,
  { node, ...transfer }: SendTransferGaslessParameters,
): Promise<SendTransferGaslessReturnType> {
  const { request, summary } = await signGaslessTransfer(client, transfer);
  const relayed = await relayTransfer(node, { request });
  return { hash: relayed.txHash as Hash, request, summary };
}
