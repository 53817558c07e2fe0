import type { GramClient } from "../client.ts";
import { revertOrChainError } from "./revert.ts";

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** EIP-1559 fees for the next blocks: viem's estimate (base fee × 1.2 plus the node's suggested tip). */
export async function estimateFees(client: GramClient): Promise<Fees> {
  try {
    const { maxFeePerGas, maxPriorityFeePerGas } = await client.publicClient.estimateFeesPerGas({
      type: "eip1559",
    } as never);
    return { maxFeePerGas, maxPriorityFeePerGas };
  } catch (error) {
    throw revertOrChainError(error, "estimating fees");
  }
}

/** At least 10% more, rounded up, as nodes require of a same-nonce replacement. */
export function bump(value: bigint): bigint {
  return value + (value + 9n) / 10n;
}
