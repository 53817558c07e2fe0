import type { Invoice } from "../../protocol/invoice.ts";
import { InvalidAmountError } from "../errors.ts";
import type { GramClient } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface CapturePaymentParameters {
  invoice: Invoice;
  /** In whole tokens; part of what is held (captures may repeat). */
  amount: string;
  confirm?: Confirm | undefined;
}

export type CapturePaymentReturnType = SentTransaction;

/**
 * Merchant: moves `amount` of the held funds to its escrow balance (less the invoice's cashback, paid
 * back to the payer). Withdraw the balance with `withdraw`.
 *
 * @example
 * const { hash } = await capturePayment(client, { invoice, amount: "12.5" });
 */
export async function capturePayment(
  client: GramClient,
  { invoice, amount, confirm }: CapturePaymentParameters,
): Promise<CapturePaymentReturnType> {
  const { units } = await parseTokenAmount(client, { text: amount, token: invoice.token, what: "capture amount" });
  if (units === 0n) throw new InvalidAmountError("capture amount: expected more than 0", { reason: "zero" });
  return escrowCall(client, "capture", [invoice, units], confirm);
}
