import { type InvoiceResponse, invoiceResponseSchema } from "../../protocol/api.ts";
import { ROUTES, routePath } from "../../protocol/routes.ts";
import { NodeRequestError } from "../errors.ts";
import type { NodeClient } from "./createNodeClient.ts";

export interface GetInvoiceParameters {
  /** The invoice id (its EIP-712 digest). */
  id: string;
  signal?: AbortSignal | undefined;
}

/** Undefined while the node has indexed no payment of the invoice. */
export type GetInvoiceReturnType = InvoiceResponse | undefined;

/**
 * A paid invoice's lifecycle as the node indexed it (`GET /v1/invoices/:id`): held, captured, refunded,
 * disputed, and how deep its last change is. An invoice nobody paid yet is not indexed: undefined.
 *
 * @example
 * const seen = await getInvoice(node, { id });
 * if (seen?.status === "paid") console.log(`${seen.held} held`);
 */
export async function getInvoice(
  client: NodeClient,
  { id, signal }: GetInvoiceParameters,
): Promise<GetInvoiceReturnType> {
  try {
    return await client.request({
      method: "GET",
      path: routePath(ROUTES.invoice, { id }),
      schema: invoiceResponseSchema,
      signal,
    });
  } catch (error) {
    if (error instanceof NodeRequestError && error.nodeCode === "NOT_FOUND") return undefined;
    throw error;
  }
}
