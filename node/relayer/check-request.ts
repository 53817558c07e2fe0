import type { Address } from "viem";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";

/** Refuses a request signed for another chain: its signatures could never verify here. */
export function checkChain(ctx: RelayerContext, chainId: number) {
  if (chainId !== ctx.chainId) {
    throw new RelayError("WRONG_CHAIN", `this relayer serves chain ${ctx.chainId}, not chain ${chainId}`);
  }
}

/** Refuses a token the relayer was not configured to pay gas for. */
export function checkToken(ctx: RelayerContext, token: Address) {
  if (!ctx.tokens.has(token)) {
    throw new RelayError("UNKNOWN_TOKEN", `this relayer does not relay token ${token}`, {
      details: `it relays ${[...ctx.tokens].join(", ")}`,
    });
  }
}
