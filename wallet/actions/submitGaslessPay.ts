import type { RelayPayRequestJson, RelayResponse } from "../../protocol/relay.ts";
import { postRelay } from "./internal/postRelay.ts";

export interface SubmitGaslessPayParameters {
  /** What `signPayWithAuthorization` returned. */
  request: RelayPayRequestJson;
  signal?: AbortSignal | undefined;
}

export type SubmitGaslessPayReturnType = RelayResponse;

/**
 * Hands a signed invoice payment to the node's relayer (`POST /v1/relay/pay`); `id` in the answer is the
 * invoice id. Refusals come back as a RelayError (`RELAY_INVOICE_INVALID`, …).
 *
 * @example
 * const { txHash, id } = await submitGaslessPay(nodeUrl, { request });
 */
export function submitGaslessPay(
  nodeUrl: string,
  { request, signal }: SubmitGaslessPayParameters,
): Promise<SubmitGaslessPayReturnType> {
  return postRelay(nodeUrl, "v1/relay/pay", request, signal);
}
