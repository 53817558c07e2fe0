import { type Abi, type Address, BaseError, ContractFunctionRevertedError, encodeFunctionData, type Hex } from "viem";
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

export interface SimulateParameters {
  address: Address;
  /** Holds the function and every custom error the call can revert with (the token's included). */
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export interface SimulateReturnType {
  data: Hex;
  gas: bigint;
}

/**
 * Runs the exact call the relayer would send, from the relayer's account at the latest block, and
 * refuses — with the contract's custom error decoded into the message — when it would revert. Returns
 * the calldata and the gas to send it with (the estimate plus a fifth, as state may move before it lands).
 *
 * @example
 * const { data, gas } = await simulateOrRefuse(ctx, { address: token, abi, functionName, args });
 */
export async function simulateOrRefuse(ctx: RelayerContext, params: SimulateParameters): Promise<SimulateReturnType> {
  const call = { ...params, account: ctx.account } as never;
  try {
    await ctx.publicClient.simulateContract(call);
    const gas = await ctx.publicClient.estimateContractGas(call);
    return { data: encodeFunctionData(params as never), gas: (gas * 6n) / 5n };
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (!(reverted instanceof ContractFunctionRevertedError)) {
      throw new RelayerUnavailableError("the relayer could not simulate the transaction", { cause: error });
    }
    const name = reverted.data?.errorName ?? reverted.signature ?? "an unknown error";
    const args = (reverted.data?.args ?? []).map((arg) => String(arg)).join(", ");
    const revert = reverted.data === undefined && reverted.reason ? `"${reverted.reason}"` : `${name}(${args})`;
    throw new RelayError(CODES[name] ?? "BAD_REQUEST", `the transaction would revert with ${revert}`, {
      hint: "nothing was sent and no gas was spent",
    });
  }
}
