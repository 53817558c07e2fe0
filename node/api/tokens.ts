import { type Address, erc20Abi, getAddress, type PublicClient } from "viem";

/** A token the node tracks, as the API shows it. */
export interface TokenInfo {
  address: Address;
  symbol: string;
  decimals: number;
}

/**
 * Reads `symbol()` and `decimals()` of each token once, at start-up: requests never ask the chain.
 *
 * @example
 * const tokens = await readTokenInfo(client, [deployment.contracts.GramToken.address]);
 */
export async function readTokenInfo(
  client: Pick<PublicClient, "readContract">,
  addresses: readonly Address[],
): Promise<TokenInfo[]> {
  return Promise.all(
    addresses.map(async (address) => {
      const [symbol, decimals] = await Promise.all([
        client.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        client.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { address: getAddress(address), symbol, decimals };
    }),
  );
}
