import { type AccountResponse, accountResponseSchema } from "../../protocol/api.ts";
import { ROUTES, routePath } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetAccountParameters {
  address: string;
  signal?: AbortSignal | undefined;
}

export type GetAccountReturnType = AccountResponse;

/**
 * An account's balance of every token the node tracks (`GET /v1/accounts/:address`): `balance` with
 * pending blocks, `confirmed` at the node's confirmation depth.
 *
 * @example
 * const { balances } = await getAccount(node, { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
 */
export function getAccount(
  client: NodeClient,
  { address, signal }: GetAccountParameters,
): Promise<GetAccountReturnType> {
  return client.request({
    method: "GET",
    path: routePath(ROUTES.account, { address }),
    schema: accountResponseSchema,
    signal,
  });
}
