import type { Address, Hex } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";

/** ERC-3009 as OpenZeppelin implements it reads a window as block numbers when both ends carry bit 47. */
const BLOCK_RANGE_FLAG = 1n << 47n;

/**
 * The time the relayer checks windows against: the later of its own clock and the latest block's, since
 * the transaction lands in a block no earlier than either.
 */
export async function chainNow(ctx: RelayerContext): Promise<bigint> {
  const block = await ctx.publicClient.getBlock({ blockTag: "latest" });
  const wall = BigInt(Math.floor(Date.now() / 1_000));
  return block.timestamp > wall ? block.timestamp : wall;
}

const when = (seconds: bigint) =>
  seconds < 253_402_300_800n ? new Date(Number(seconds) * 1_000).toISOString() : `${seconds} (never)`;

/**
 * Refuses an authorization that is not valid yet (`validAfter` must be in the past, as the token wants
 * `block.timestamp > validAfter`) or that would expire within `safetyMarginSeconds`: a transaction sent
 * now may wait a few blocks, and one that reverts for lateness still costs the relayer its gas.
 */
export function checkTimeWindow(
  ctx: RelayerContext,
  now: bigint,
  { validAfter, validBefore }: { validAfter: bigint; validBefore: bigint },
) {
  if ((validAfter & validBefore & BLOCK_RANGE_FLAG) !== 0n) {
    throw new RelayError("BAD_REQUEST", "the relayer takes validity windows in seconds, not block numbers", {
      hint: "sign validAfter and validBefore as Unix times, without bit 47 set in both",
    });
  }
  if (validAfter >= now) {
    throw new RelayError("AUTHORIZATION_NOT_YET_VALID", `the authorization is valid only after ${when(validAfter)}`, {
      details: `validAfter ${validAfter}, the chain's time ${now}`,
    });
  }
  const margin = BigInt(ctx.safetyMarginSeconds);
  if (validBefore <= now) {
    throw new RelayError("AUTHORIZATION_EXPIRED", `the authorization expired at ${when(validBefore)}`, {
      details: `validBefore ${validBefore}, the chain's time ${now}`,
    });
  }
  if (validBefore < now + margin) {
    throw new RelayError(
      "AUTHORIZATION_EXPIRED",
      `the authorization expires at ${when(validBefore)}, less than ${ctx.safetyMarginSeconds} s from now: too soon to be mined safely`,
      { details: `validBefore ${validBefore}, the chain's time ${now}`, hint: "sign it again valid for longer" },
    );
  }
}

/**
 * Refuses an authorization whose nonce `from` has already used or canceled on `token`, or whose `value`
 * exceeds `from`'s balance. Both are read at the latest block.
 */
export async function checkNonceAndBalance(
  ctx: RelayerContext,
  { token, from, nonce, value }: { token: Address; from: Address; nonce: Hex; value: bigint },
) {
  const [used, balance] = await Promise.all([
    ctx.publicClient.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "authorizationState",
      args: [from, nonce],
    }),
    ctx.publicClient.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [from] }),
  ]);
  if (used) {
    throw new RelayError("NONCE_USED", `${from} has already used or canceled the authorization nonce ${nonce}`);
  }
  if (balance < value) {
    throw new RelayError(
      "INSUFFICIENT_BALANCE",
      `${from} holds ${balance} base units, the authorization moves ${value}`,
    );
  }
}
