import { type MerchantInvoicesResponse, merchantInvoicesResponseSchema } from "../../protocol/api.ts";
import type { InvoiceRecordStatus } from "../../protocol/invoice-state.ts";
import { ROUTES, routePath } from "../../protocol/routes.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetMerchantInvoicesParameters {
  merchant: string;
  /** Only invoices in this state. */
  status?: InvoiceRecordStatus | undefined;
  /** 1..1000. @default 50 (the node's) */
  limit?: number | undefined;
  /** The previous page's `cursor`, for the next (older) page. */
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type GetMerchantInvoicesReturnType = MerchantInvoicesResponse;

/**
 * One page of the invoices paid to a merchant, newest payment first (`GET /v1/merchants/:address/invoices`).
 *
 * @example
 * const { items } = await getMerchantInvoices(node, { merchant, status: "paid" });
 */
export function getMerchantInvoices(
  client: NodeClient,
  { merchant, status, limit, cursor, signal }: GetMerchantInvoicesParameters,
): Promise<GetMerchantInvoicesReturnType> {
  return client.request({
    method: "GET",
    path: routePath(ROUTES.merchantInvoices, { address: merchant }),
    query: { status, limit, cursor },
    schema: merchantInvoicesResponseSchema,
    signal,
  });
}
