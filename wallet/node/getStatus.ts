import { type StatusResponse, statusResponseSchema } from "../../protocol/api.ts";
import { ROUTES } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetStatusParameters {
  signal?: AbortSignal | undefined;
}

export type GetStatusReturnType = StatusResponse;

/**
 * The node's sync state and health (`GET /v1/status`): its chain, head and indexed block, lag, and whether
 * it is stalled.
 *
 * @example
 * const { chainId, indexedBlock, syncing } = await getStatus(node);
 */
export function getStatus(client: NodeClient, { signal }: GetStatusParameters = {}): Promise<GetStatusReturnType> {
  return client.request({ method: "GET", path: ROUTES.status, schema: statusResponseSchema, signal });
}
