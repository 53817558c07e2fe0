import type { RelayResponse, RelayTransferRequestJson } from "../../protocol/relay.ts";
import { ROUTES } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";
import { postRelay } from "./internal/postRelay.ts";

export interface RelayTransferParameters {
  /** What `signGaslessTransfer` returned. */
  request: RelayTransferRequestJson;
  signal?: AbortSignal | undefined;
}

export type RelayTransferReturnType = RelayResponse;

/**
 * Hands a signed gasless transfer to the node's relayer (`POST /v1/relay/transfer`). Sending the same
 * request twice is safe: the relayer answers with the same `txHash` and `duplicate: true`. Refusals
 * come back as a RelayError whose `code` is `RELAY_` and the relayer's code (`RELAY_NONCE_USED`). The
 * answer is the relayer's word only: `waitForRelayedPayment` checks it on the chain.
 *
 * @example
 * const { request } = await signGaslessTransfer(client, { to: "@bob", amount: "5" });
 * const { txHash } = await relayTransfer(node, { request });
 */
export function relayTransfer(
  client: NodeClient,
  { request, signal }: RelayTransferParameters,
): Promise<RelayTransferReturnType> {
  return postRelay(client, ROUTES.relayTransfer, request, signal);
}
