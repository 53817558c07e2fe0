import { Eip1559FeesNotSupportedError, type TransactionSerializable } from "viem";
import type { RelayerPublicClient } from "./clients.ts";

/** A transaction's fee fields: EIP-1559 where the chain has a base fee, a gas price elsewhere. */
export type Fees =
  | { type: "eip1559"; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: "legacy"; gasPrice: bigint };

/**
 * What a replacement must add to each fee field: nodes refuse a replacement that raises them by less
 * than 10 % (geth's `txpool.pricebump`, Hardhat's rule), so an eighth, rounded up, clears it.
 */
const bump = (fee: bigint) => fee + (fee + 7n) / 8n;

/** The fees to send with now: viem's EIP-1559 estimate, or the gas price on a chain without a base fee. */
export async function readFees(client: RelayerPublicClient): Promise<Fees> {
  try {
    const { maxFeePerGas, maxPriorityFeePerGas } = await client.estimateFeesPerGas();
    return { type: "eip1559", maxFeePerGas, maxPriorityFeePerGas };
  } catch (error) {
    if (!(error instanceof Eip1559FeesNotSupportedError)) throw error;
    return { type: "legacy", gasPrice: await client.getGasPrice() };
  }
}

/** The most a transaction with these fees and `gas` can cost: what the hourly budget counts. */
export const maxCost = (fees: Fees, gas: bigint) => gas * (fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice);

/**
 * The fees of a replacement for a transaction sent with `old`: an eighth more than `old` in every
 * field, or `now` (the chain's current estimate) where that is higher.
 */
export function bumpFees(old: Fees, now: Fees): Fees {
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  if (old.type === "eip1559" && now.type === "eip1559") {
    const maxPriorityFeePerGas = max(bump(old.maxPriorityFeePerGas), now.maxPriorityFeePerGas);
    return {
      type: "eip1559",
      maxPriorityFeePerGas,
      maxFeePerGas: max(max(bump(old.maxFeePerGas), now.maxFeePerGas), maxPriorityFeePerGas),
    };
  }
  const price = (fees: Fees) => (fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice);
  return { type: "legacy", gasPrice: max(bump(price(old)), price(now)) };
}

/** The fees a parsed transaction was signed with. */
export function feesOf(tx: TransactionSerializable): Fees {
  if (tx.maxFeePerGas !== undefined) {
    return { type: "eip1559", maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas ?? 0n };
  }
  return { type: "legacy", gasPrice: tx.gasPrice ?? 0n };
}
