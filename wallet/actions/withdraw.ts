import type { Address } from "viem";
import { resolveRecipient } from "../contacts/resolveRecipient.ts";
import { InvalidAmountError } from "../errors.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { escrowCall } from "./internal/escrowCall.ts";
import type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";

export interface WithdrawParameters {
  /** In whole tokens, of the merchant's escrow balance; the withdrawal fee comes out of it. */
  amount: string;
  /** @default the configured GramToken */
  token?: Address | undefined;
  /** `@name` or an address. @default the merchant itself */
  to?: string | undefined;
  confirm?: Confirm | undefined;
}

export type WithdrawReturnType = SentTransaction;

/**
 * Merchant: pays `amount` of its escrow balance out to `to`, less the escrow's withdrawal fee (fixed at
 * deployment, at most 1%).
 *
 * @example
 * const { hash } = await withdraw(client, { amount: "100" });
 */
export async function withdraw(
  client: GramClient,
  { amount, token = client.contracts.token, to, confirm }: WithdrawParameters,
): Promise<WithdrawReturnType> {
  const account = requireAccount(client);
  const recipient =
    to === undefined
      ? account.address
      : (await resolveRecipient({ contacts: client.stores.contacts, recipient: to })).address;
  const { units, token: info } = await parseTokenAmount(client, { text: amount, token, what: "withdraw amount" });
  if (units === 0n) throw new InvalidAmountError("withdraw amount: expected more than 0", { reason: "zero" });
  return escrowCall(client, "withdraw", [info.address, units, recipient], confirm);
}
