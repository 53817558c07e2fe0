import { getAddress, type Hash, isAddressEqual, type Transaction } from "viem";
import { ChainError, NotPendingError, TransactionNotFoundError } from "../errors.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { bump, estimateFees, type Fees } from "./internal/fees.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./internal/submitTransaction.ts";

export interface SpeedUpParameters {
  /** The pending transaction to replace. */
  hash: Hash;
  confirm?: Confirm | undefined;
}

export type SpeedUpReturnType = SentTransaction;

/**
 * Replaces a pending transaction by the same one with the same nonce and fees raised by at least 10%
 * (what nodes require to replace), or to the current estimate when that is higher. Whichever of the two
 * is mined, the other cannot be: they share the nonce.
 *
 * @example
 * const { hash: replacement } = await speedUp(client, { hash });
 */
export async function speedUp(client: GramClient, { hash, confirm }: SpeedUpParameters): Promise<SpeedUpReturnType> {
  const pending = await pendingTransaction(client, hash);
  const fees = await replacementFees(client, pending);
  return submitTransaction(
    client,
    { to: pending.to as `0x${string}`, data: pending.input, value: pending.value },
    { confirm, fees, gas: pending.gas, nonce: pending.nonce, what: "speed-up" },
  );
}

/** The account's own transaction, still waiting to be mined, and its nonce not yet used by another. */
export async function pendingTransaction(client: GramClient, hash: Hash): Promise<Transaction> {
  const account = requireAccount(client);
  let tx: Transaction;
  try {
    tx = await client.publicClient.getTransaction({ hash });
  } catch (cause) {
    if ((cause as Error).name === "TransactionNotFoundError") {
      throw new TransactionNotFoundError(`transaction ${hash} is not known to the node`, {
        hint: "it may have been dropped; its nonce is then free again",
      });
    }
    throw new ChainError(`could not read transaction ${hash}`, { cause });
  }
  if (!isAddressEqual(tx.from, account.address)) {
    throw new NotPendingError(`transaction ${hash} was sent by ${getAddress(tx.from)}, not by ${account.address}`);
  }
  if (tx.blockNumber !== null) {
    throw new NotPendingError(`transaction ${hash} is already mined in block ${tx.blockNumber}`);
  }
  const mined = await client.publicClient.getTransactionCount({ address: account.address, blockTag: "latest" });
  if (tx.nonce < mined) {
    throw new NotPendingError(`nonce ${tx.nonce} of transaction ${hash} is already used by a mined transaction`);
  }
  if (tx.to === null)
    throw new NotPendingError(`transaction ${hash} deploys a contract; the wallet does not replace it`);
  return tx;
}

/** The old fees raised by 10%, or the current estimate if higher; a legacy gas price counts as both. */
export async function replacementFees(client: GramClient, tx: Transaction): Promise<Fees> {
  const current = await estimateFees(client);
  const oldMax = tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
  const oldTip = tx.maxPriorityFeePerGas ?? tx.gasPrice ?? 0n;
  const maxPriorityFeePerGas = max(bump(oldTip), current.maxPriorityFeePerGas);
  const maxFeePerGas = max(bump(oldMax), current.maxFeePerGas, maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas };
}

/** Math.max does not take bigints. */
function max(first: bigint, ...rest: bigint[]): bigint {
  let largest = first;
  for (const value of rest) if (value > largest) largest = value;
  return largest;
}
