import { type MerchantBalancesResponse, merchantBalancesResponseSchema } from "../../protocol/api.ts";
import { ROUTES, routePath } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetMerchantBalancesParameters {
  merchant: string;
  signal?: AbortSignal | undefined;
}

export type GetMerchantBalancesReturnType = MerchantBalancesResponse;

/**
 * What the escrow owes a merchant, per token (`GET /v1/merchants/:address/balances`): every tracked token,
 * zero included, then any other the escrow holds for it.
 *
 * @example
 * const { balances } = await getMerchantBalances(node, { merchant });
 */
export function getMerchantBalances(
  client: NodeClient,
  { merchant, signal }: GetMerchantBalancesParameters,
): Promise<GetMerchantBalancesReturnType> {
  return client.request({
    method: "GET",
    path: routePath(ROUTES.merchantBalances, { address: merchant }),
    schema: merchantBalancesResponseSchema,
    signal,
  });
}
