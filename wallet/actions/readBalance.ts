import type { Address } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { formatAmount } from "../../protocol/amounts.ts";
import { ChainError } from "../errors.ts";
import type { SummaryAmount, SummaryToken } from "../summary/types.ts";
import type { GramClient } from "./client.ts";
import { readTokenInfo } from "./readTokenInfo.ts";

export interface ReadBalanceParameters {
  /** @default the unlocked account */
  address?: Address | undefined;
  /** @default the configured GramToken */
  token?: Address | undefined;
}

export interface ReadBalanceReturnType {
  address: Address;
  token: SummaryToken;
  balance: SummaryAmount;
  /** The chain's native currency, which pays for gas. */
  native: SummaryAmount & { symbol: string };
  blockNumber: bigint;
}

/**
 * An account's token balance and gas balance, read from the chain at one block. (Reading from the node's
 * API when one is configured comes with the node.)
 *
 * @example
 * const { balance, token } = await readBalance(client, { address });
 * console.log(`${balance.formatted} ${token.symbol}`);
 */
export async function readBalance(
  client: GramClient,
  { address = client.account?.address, token = client.contracts.token }: ReadBalanceParameters = {},
): Promise<ReadBalanceReturnType> {
  if (address === undefined) throw new ChainError("readBalance: no address given and no account unlocked");
  const info = await readTokenInfo(client, { token });
  try {
    const blockNumber = await client.publicClient.getBlockNumber({ cacheTime: 0 });
    const [units, native] = await Promise.all([
      client.publicClient.readContract({
        address: info.address,
        abi: gramTokenAbi,
        functionName: "balanceOf",
        args: [address],
        blockNumber,
      }),
      client.publicClient.getBalance({ address, blockNumber }),
    ]);
    return {
      address,
      token: info,
      balance: { units, formatted: formatAmount(units, info.decimals) },
      native: {
        units: native,
        formatted: formatAmount(native, 18),
        symbol: client.publicClient.chain?.nativeCurrency.symbol ?? "ETH",
      },
      blockNumber,
    };
  } catch (cause) {
    throw new ChainError(`could not read the balance of ${address}`, { cause });
  }
}
