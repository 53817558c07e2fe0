import type { Invoice } from "../../protocol/invoice.ts";
import type { GramClient } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface ResolveDisputeParameters {
  invoice: Invoice;
  /** In whole tokens: what goes back to the payer, at most what is held. */
  toPayer: string;
  confirm?: Confirm | undefined;
}

export type ResolveDisputeReturnType = SentTransaction;

/**
 * Arbiter: settles a disputed payment: `toPayer` of the held funds go back to the payer and the rest is
 * captured for the merchant (with the invoice's cashback). "0" gives everything to the merchant.
 *
 * @example
 * const { hash } = await resolveDispute(client, { invoice, toPayer: "5" });
 */
export async function resolveDispute(
  client: GramClient,
  { invoice, toPayer, confirm }: ResolveDisputeParameters,
): Promise<ResolveDisputeReturnType> {
  const { units } = await parseTokenAmount(client, {
    text: toPayer,
    token: invoice.token,
    what: "amount to the payer",
  });
  return escrowCall(client, "resolve", [invoice, units], confirm);
}
