import type { Hash, Hex } from "viem";
import type { RelayPayRequestJson } from "../../protocol/relay.ts";
import type { NodeClient } from "../node/createNodeClient.ts";
import { relayPay } from "../node/relayPay.ts";
import type { TransactionSummary } from "../summary/types.ts";
import type { GramClient } from "./client.ts";
import { type SignPayWithAuthorizationParameters, signPayWithAuthorization } from "./signPayWithAuthorization.ts";

export interface PayInvoiceGaslessParameters extends SignPayWithAuthorizationParameters {
  /** The node whose relayer submits it. */
  node: NodeClient;
}

export interface PayInvoiceGaslessReturnType {
  /** The relayer's transaction: its word only until `waitForRelayedPayment` has checked it. */
  hash: Hash;
  /** What was signed and relayed: `waitForRelayedPayment` needs it. */
  request: RelayPayRequestJson;
  /** The invoice id, also the authorization's nonce. */
  id: Hex;
  summary: TransactionSummary;
}

/**
 * Pays an invoice without gas: `signPayWithAuthorization` (after `confirm` is shown the summary), then
 * `relayPay` to the node's relayer. The answer is the relayer's word: wait for it with
 * `waitForRelayedPayment`, which says paid only when the chain shows the invoice paid by this account.
 *
 * @example
 * const { hash, request } = await payInvoiceGasless(client, { node, invoice, merchantSignature, tip: "1" });
 * const receipt = await waitForRelayedPayment(client, { txHash: hash, request });
 */
export async function payInvoiceGasless(
  client: GramClient,
  { node, ...payment }: PayInvoiceGaslessParameters,
): Promise<PayInvoiceGaslessReturnType> {
  const { request, id, summary } = await signPayWithAuthorization(client, payment);
  const relayed = await relayPay(node, { request });
  return { hash: relayed.txHash as Hash, request, id, summary };
}
