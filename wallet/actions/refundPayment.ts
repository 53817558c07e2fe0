import type { Invoice } from "../../protocol/invoice.ts";
import { InvalidAmountError } from "../errors.ts";
import type { GramClient } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface RefundPaymentParameters {
  invoice: Invoice;
  /** In whole tokens; at most what was captured and not refunded (net of cashback). */
  amount: string;
  confirm?: Confirm | undefined;
}

export type RefundPaymentReturnType = SentTransaction;

/**
 * Merchant: pays `amount` of what it captured back to the payer, until `refundBefore`, from its escrow
 * balance (any shortfall from its wallet, through an allowance to the escrow).
 *
 * @example
 * const { hash } = await refundPayment(client, { invoice, amount: "2.5" });
 */
export async function refundPayment(
  client: GramClient,
  { invoice, amount, confirm }: RefundPaymentParameters,
): Promise<RefundPaymentReturnType> {
  const { units } = await parseTokenAmount(client, { text: amount, token: invoice.token, what: "refund amount" });
  if (units === 0n) throw new InvalidAmountError("refund amount: expected more than 0", { reason: "zero" });
  return escrowCall(client, "refund", [invoice, units], confirm);
}
