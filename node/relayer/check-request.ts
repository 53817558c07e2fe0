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

/**
 * Refuses zero, and an amount below the relayer's minimum for `token`: gas paid for dust is gas given
 * away (and the cheapest way to drain a relayer). Reads nothing from the chain.
 */
export function checkAmount(ctx: RelayerContext, token: Address, value: bigint) {
  if (value === 0n) {
    throw new RelayError(
      "AMOUNT_TOO_SMALL",
      "the authorization moves nothing: this relayer pays gas only to move tokens",
    );
  }
  const minimum = ctx.minAmounts.get(token) ?? 1n;
  if (value < minimum) {
    throw new RelayError(
      "AMOUNT_TOO_SMALL",
      `the authorization moves ${value} base units, below this relayer's minimum of ${minimum} for token ${token}`,
      { hint: "send more, or send it directly and pay the gas yourself" },
    );
  }
}
