import type { FastifyInstance } from "fastify";
import type { AccountResponse, HistoryResponse } from "../../../protocol/api.ts";
import { ROUTES } from "../../../protocol/routes.ts";
import { readAccountBalances } from "../../store/read-balances.ts";
import { HISTORY_POSITION, readHistoryPage } from "../../store/read-history-page.ts";
import type { ApiContext } from "../context.ts";
import { accountParamsSchema, encodeCursor, historyQuerySchema, parseInput } from "../params.ts";
import { checksum, historyItemJson } from "../serialize.ts";

const historyQuery = historyQuerySchema(HISTORY_POSITION);

/** `GET /v1/accounts/:address` and `GET /v1/accounts/:address/history`. */
export function accountRoutes(app: FastifyInstance, ctx: ApiContext) {
  app.get(ROUTES.account, async (request, reply) => {
    // The cache is keyed by the address as spelled: a hit was valid when it was stored, so the hot
    // path skips parsing.
    const spelled = (request.params as { address: string }).address;
    const cache = ctx.accountCache;
    let body = cache?.get(spelled);
    if (body === undefined) {
      const { address } = parseInput(accountParamsSchema, request.params);
      const generation = cache?.generation ?? 0;
      const confirmedBlock = ctx.confirmedBlock();
      const { cursor, balances, confirmed } = await readAccountBalances(
        ctx.store,
        ctx.tokenAddresses,
        address,
        confirmedBlock,
        ctx.pending,
      );
      const block = cursor === undefined || cursor.number < 0 ? null : cursor.number;
      const response: AccountResponse = {
        address: checksum(address),
        block,
        confirmedBlock: block === null ? null : Math.min(block, confirmedBlock),
        balances: ctx.tokens.map((token, i) => ({
          token: token.address,
          symbol: token.symbol,
          decimals: token.decimals,
          balance: (balances[i] as bigint).toString(),
          confirmed: (confirmed[i] as bigint).toString(),
        })),
      };
      body = JSON.stringify(response);
      cache?.set(spelled, body, generation);
    }
    return reply.type("application/json; charset=utf-8").send(body);
  });

  app.get(ROUTES.history, async (request): Promise<HistoryResponse> => {
    const { address } = parseInput(accountParamsSchema, request.params);
    const { token, limit, cursor } = parseInput(historyQuery, request.query);
    const page = await readHistoryPage(ctx.store, { account: address, limit, after: cursor, token });
    const depth = ctx.depth();
    return {
      address: checksum(address),
      items: page.items.map((item) => historyItemJson(item, depth)),
      cursor: encodeCursor(page.next),
    };
  });
}
