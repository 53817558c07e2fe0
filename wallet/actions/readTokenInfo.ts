import { type Address, getAddress } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { ChainError } from "../errors.ts";
import type { GramClient } from "./client.ts";

export interface ReadTokenInfoParameters {
  /** @default the configured GramToken */
  token?: Address | undefined;
}

export interface ReadTokenInfoReturnType {
  address: Address;
  symbol: string;
  decimals: number;
}

/**
 * A token's symbol and decimals, read from the token itself (nothing assumes 18) and cached per client.
 *
 * @example
 * const { symbol, decimals } = await readTokenInfo(client, { token });
 */
export async function readTokenInfo(
  client: GramClient,
  { token = client.contracts.token }: ReadTokenInfoParameters = {},
): Promise<ReadTokenInfoReturnType> {
  const address = getAddress(token);
  let info = client.tokens.get(address);
  if (info === undefined) {
    const read = (functionName: "symbol" | "decimals") =>
      client.publicClient.readContract({ address, abi: gramTokenAbi, functionName });
    info = Promise.all([read("symbol"), read("decimals")]).then(([symbol, decimals]) => ({
      symbol: String(symbol),
      decimals: Number(decimals),
    }));
    client.tokens.set(address, info);
    info.catch(() => client.tokens.delete(address));
  }
  try {
    return { address, ...(await info) };
  } catch (cause) {
    throw new ChainError(`could not read symbol() and decimals() of ${address}`, {
      cause,
      details: "is it an ERC-20 token on this chain?",
    });
  }
}
