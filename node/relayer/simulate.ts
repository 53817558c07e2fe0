import { type Abi, type Address, BaseError, ContractFunctionRevertedError, encodeFunctionData, type Hex } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import type { RelayErrorCode } from "../../protocol/relay.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError, RelayerUnavailableError } from "./errors.ts";

/** What the checks missed and the contracts would still refuse, by custom error name. */
const CODES: Record<string, RelayErrorCode> = {
  ERC3009InvalidSignature: "INVALID_SIGNATURE",
  ERC3009UsedAuthorization: "NONCE_USED",
  ERC3009InvalidAuthorizationTime: "AUTHORIZATION_EXPIRED",
  ERC20InsufficientBalance: "INSUFFICIENT_BALANCE",
  EscrowInvoiceExpired: "INVOICE_INVALID",
  EscrowInvalidDeadlines: "INVOICE_INVALID",
  EscrowInvalidAmount: "INVOICE_INVALID",
  EscrowInvalidCashback: "INVOICE_INVALID",
  EscrowTipTooHigh: "INVOICE_INVALID",
  EscrowInvalidSignature: "INVOICE_INVALID",
  EscrowWrongPayer: "INVOICE_INVALID",
  EscrowInvoiceUsed: "INVOICE_INVALID",
  EscrowTokenShortfall: "UNKNOWN_TOKEN",
  EnforcedPause: "RELAYER_UNAVAILABLE",
};

/** Every function the relayer calls and every error they can revert with: the escrow's and the token's. */
export const relayAbi = [...merchantEscrowAbi, ...gramTokenAbi] as Abi;

export interface SimulateParameters {
  address: Address;
  /** Holds the function and every custom error the call can revert with (the token's included). */
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** The most gas the relayer pays for this call: an estimate above it is refused. */
  maxGas: bigint;
  /** Named in a refusal for too much gas: "a transfer", "an invoice payment". */
  route: string;
}

export interface SimulateReturnType {
  data: Hex;
  gas: bigint;
}

/**
 * The custom error (or reason string) a contract reverted with, as `Name(arg, …)`, and the relay code it
 * maps to; undefined when `error` is not a revert (the RPC failed).
 */
export function describeRevert(error: unknown): { code: RelayErrorCode; revert: string } | undefined {
  const reverted =
    error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const name = reverted.data?.errorName ?? reverted.signature ?? "an unknown error";
  const args = (reverted.data?.args ?? []).map((arg) => String(arg)).join(", ");
  const revert = reverted.data === undefined && reverted.reason ? `"${reverted.reason}"` : `${name}(${args})`;
  return { code: CODES[name] ?? "BAD_REQUEST", revert };
}

/**
 * Runs the exact call the relayer would send, from the relayer's account at the latest block, and
 * refuses — with the contract's custom error decoded into the message — when it would revert, or when
 * its gas estimate is above `maxGas` (with the figure). Returns the calldata and the gas to send it
 * with (the estimate plus a fifth, as state may move before it lands).
 *
 * @example
 * const { data, gas } = await simulateOrRefuse(ctx, { address: token, abi, functionName, args, maxGas: 100_000n, route: "a transfer" });
 */
export async function simulateOrRefuse(
  ctx: RelayerContext,
  { maxGas, route, ...params }: SimulateParameters,
): Promise<SimulateReturnType> {
  const call = { ...params, account: ctx.account } as never;
  let gas: bigint;
  try {
    await ctx.publicClient.simulateContract(call);
    gas = await ctx.publicClient.estimateContractGas(call);
  } catch (error) {
    const reverted = describeRevert(error);
    if (reverted === undefined) {
      throw new RelayerUnavailableError("the relayer could not simulate the transaction", { cause: error });
    }
    throw new RelayError(reverted.code, `the transaction would revert with ${reverted.revert}`, {
      hint: "nothing was sent and no gas was spent",
    });
  }
  if (gas > maxGas) {
    throw new RelayError(
      "GAS_TOO_HIGH",
      `the transaction would take ${gas} gas, above the ${maxGas} this relayer pays for ${route}`,
      {
        hint: "nothing was sent and no gas was spent",
      },
    );
  }
  return { data: encodeFunctionData(params as never), gas: (gas * 6n) / 5n };
}
