import { type Address, isAddressEqual } from "viem";
import type { ByteReader, ByteWriter } from "./codec.ts";
import { LinkError } from "./errors.ts";

/** What a wallet is configured for; a link for anything else is refused before it is shown. */
export interface LinkTargetOptions {
  chainId?: number | undefined;
  token?: Address | undefined;
}

export function checkChainId(chainId: number, field = "chain id"): number {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new LinkError("INVALID_CHAIN_ID", `${field}: got ${chainId}, expected a positive integer below 2^53`);
  }
  return chainId;
}

export function writeChainId(out: ByteWriter, chainId: number) {
  out.varUint(checkChainId(chainId), "chainId");
}

export function readChainId(data: ByteReader): number {
  const chainId = data.varUint("chainId", 7);
  if (chainId === 0n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) data.fail(`chain id ${chainId} is out of range`);
  return Number(chainId);
}

/** Refuses a link whose chain or token is not the wallet's ("link is for chain 10, wallet is on chain 31337"). */
export function checkLinkTarget(
  what: string,
  link: { chainId: number; token: Address | undefined },
  wallet: LinkTargetOptions,
) {
  if (wallet.chainId !== undefined && wallet.chainId !== link.chainId) {
    throw new LinkError("WRONG_CHAIN", `link is for chain ${link.chainId}, wallet is on chain ${wallet.chainId}`, {
      hint: `Switch the wallet to chain ${link.chainId} only if you meant to pay there.`,
    });
  }
  if (wallet.token === undefined) return;
  if (link.token === undefined) {
    throw new LinkError(
      "WRONG_TOKEN",
      `${what} asks for the chain's native coin, wallet pays in token ${wallet.token}`,
    );
  }
  if (!isAddressEqual(link.token, wallet.token)) {
    throw new LinkError("WRONG_TOKEN", `link is for token ${link.token}, wallet uses token ${wallet.token}`);
  }
}
