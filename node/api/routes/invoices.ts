import type { FastifyInstance } from "fastify";
import type {
  InvoiceResponse,
  MerchantBalancesResponse,
  MerchantInvoicesResponse,
  TokenBalance,
} from "../../../protocol/api.ts";
import { ROUTES } from "../../../protocol/routes.ts";
import { readEscrowBalances } from "../../store/read-balances.ts";
import { MERCHANT_INVOICE_POSITION, readMerchantInvoices } from "../../store/read-merchant-invoices.ts";
import { readInvoice } from "../../store/read-state.ts";
import type { ApiContext } from "../context.ts";
import { ApiError } from "../errors.ts";
import {
  accountParamsSchema,
  encodeCursor,
  invoiceParamsSchema,
  merchantInvoicesQuerySchema,
  parseInput,
} from "../params.ts";
import { checksum, invoiceJson } from "../serialize.ts";

const merchantInvoicesQuery = merchantInvoicesQuerySchema(MERCHANT_INVOICE_POSITION);

/** `GET /v1/invoices/:id`, `GET /v1/merchants/:address/invoices` and `GET /v1/merchants/:address/balances`. */
export function invoiceRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(ROUTES.invoice, async (request): Promise<InvoiceResponse> => {
    const { id } = parseInput(invoiceParamsSchema, request.params);
    const invoice = await readInvoice(ctx.store, id);
    if (invoice === undefined) throw new ApiError("NOT_FOUND", `no paid invoice ${id} is indexed`);
    return invoiceJson(invoice, ctx.tokenMap, ctx.depth());
  });

  app.get(ROUTES.merchantInvoices, async (request): Promise<MerchantInvoicesResponse> => {
    const { address } = parseInput(accountParamsSchema, request.params);
    const { status, limit, cursor } = parseInput(merchantInvoicesQuery, request.query);
    const page = await readMerchantInvoices(ctx.store, { merchant: address, limit, after: cursor, status });
    const depth = ctx.depth();
    return {
      merchant: checksum(address),
      items: page.invoices.map((invoice) => invoiceJson(invoice, ctx.tokenMap, depth)),
      cursor: encodeCursor(page.next),
    };
  });

  app.get(ROUTES.merchantBalances, async (request): Promise<MerchantBalancesResponse> => {
    const { address } = parseInput(accountParamsSchema, request.params);
    const confirmedBlock = ctx.confirmedBlock();
    const { cursor, balances: held } = await readEscrowBalances(ctx.store, address, confirmedBlock, ctx.pending);
    const amounts = (entry: { balance: bigint; confirmed: bigint } | undefined) => ({
      balance: (entry?.balance ?? 0n).toString(),
      confirmed: (entry?.confirmed ?? 0n).toString(),
    });
    // Every tracked token, zero included; then any other token the escrow holds for the merchant.
    const balances: TokenBalance[] = ctx.tokens.map((token) => ({
      token: token.address,
      symbol: token.symbol,
      decimals: token.decimals,
      ...amounts(held.get(token.address.toLowerCase() as `0x${string}`)),
    }));
    for (const [token, entry] of held) {
      if (!ctx.tokenMap.has(token)) {
        balances.push({ token: checksum(token), symbol: null, decimals: null, ...amounts(entry) });
      }
    }
    const block = cursor === undefined || cursor.number < 0 ? null : cursor.number;
    return {
      merchant: checksum(address),
      block,
      confirmedBlock: block === null ? null : Math.min(block, confirmedBlock),
      balances,
    };
  });
}
