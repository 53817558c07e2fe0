import type { RelayResponse, RelayTransferRequestJson } from "../../protocol/relay.ts";
import { postRelay } from "./internal/postRelay.ts";

export interface SubmitGaslessTransferParameters {
  /** What `signGaslessTransfer` returned. */
  request: RelayTransferRequestJson;
  signal?: AbortSignal | undefined;
}

export type SubmitGaslessTransferReturnType = RelayResponse;

/**
 * Hands a signed gasless transfer to the node's relayer (`POST /v1/relay/transfer`). Sending the same
 * request twice is safe: the relayer answers with the same `txHash` and `duplicate: true`. Refusals
 * come back as a RelayError whose `code` is `RELAY_` and the relayer's code (`RELAY_NONCE_USED`).
 *
 * @example
 * const { txHash } = await submitGaslessTransfer("http://127.0.0.1:8545", { request });
 */
export function submitGaslessTransfer(
  nodeUrl: string,
  { request, signal }: SubmitGaslessTransferParameters,
): Promise<SubmitGaslessTransferReturnType> {
  return postRelay(nodeUrl, "v1/relay/transfer", request, signal);
}
