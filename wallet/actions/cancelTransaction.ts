import type { Hash } from "viem";
import { type GramClient, requireAccount } from "./client.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./internal/submitTransaction.ts";
import { pendingTransaction, replacementFees } from "./speedUp.ts";

export interface CancelTransactionParameters {
  /** The pending transaction to cancel. */
  hash: Hash;
  confirm?: Confirm | undefined;
}

export type CancelTransactionReturnType = SentTransaction;

/**
 * Cancels a pending transaction by replacing it with a 0-value transfer to oneself with the same nonce
 * and fees raised by at least 10%. If the original is mined first, the cancel is dropped instead.
 *
 * @example
 * const { hash: cancel } = await cancelTransaction(client, { hash });
 */
export async function cancelTransaction(
  client: GramClient,
  { hash, confirm }: CancelTransactionParameters,
): Promise<CancelTransactionReturnType> {
  const account = requireAccount(client);
  const pending = await pendingTransaction(client, hash);
  const fees = await replacementFees(client, pending);
  return submitTransaction(
    client,
    { to: account.address, data: "0x", value: 0n },
    { confirm, fees, gas: 21_000n, nonce: pending.nonce, what: "cancel" },
  );
}
