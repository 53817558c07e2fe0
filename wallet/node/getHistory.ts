import { type HistoryResponse, historyResponseSchema } from "../../protocol/api.ts";
import { ROUTES, routePath } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetHistoryParameters {
  address: string;
  /** Only this token's entries. */
  token?: string | undefined;
  /** 1..1000. @default 50 (the node's) */
  limit?: number | undefined;
  /** The previous page's `cursor`, for the next (older) page. */
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type GetHistoryReturnType = HistoryResponse;

/**
 * One page of an account's history, newest first (`GET /v1/accounts/:address/history`); `cursor: null`
 * on the last page.
 *
 * @example
 * const { items, cursor } = await getHistory(node, { address, limit: 20 });
 */
export function getHistory(
  client: NodeClient,
  { address, token, limit, cursor, signal }: GetHistoryParameters,
): Promise<GetHistoryReturnType> {
  return client.request({
    method: "GET",
    path: routePath(ROUTES.history, { address }),
    query: { token, limit, cursor },
    schema: historyResponseSchema,
    signal,
  });
}
