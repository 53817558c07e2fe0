import type { RelayPayRequestJson, RelayResponse } from "../../protocol/relay.ts";
import { ROUTES } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";
import { postRelay } from "./internal/postRelay.ts";

export interface RelayPayParameters {
  /** What `signPayWithAuthorization` returned. */
  request: RelayPayRequestJson;
  signal?: AbortSignal | undefined;
}

export type RelayPayReturnType = RelayResponse;

/**
 * Hands a signed invoice payment to the node's relayer (`POST /v1/relay/pay`); `id` in the answer is the
 * invoice id. Refusals come back as a RelayError (`RELAY_INVOICE_INVALID`, …). The answer is the
 * relayer's word only: `waitForRelayedPayment` checks it on the chain.
 *
 * @example
 * const { request } = await signPayWithAuthorization(client, { invoice, signature, tip: "1" });
 * const { txHash, id } = await relayPay(node, { request });
 */
export function relayPay(client: NodeClient, { request, signal }: RelayPayParameters): Promise<RelayPayReturnType> {
  return postRelay(client, ROUTES.relayPay, request, signal);
}
