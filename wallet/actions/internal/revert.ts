import { type Abi, decodeErrorResult, type Hex, isHex } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import { ChainError, TransactionRevertsError } from "../../errors.ts";

/** The custom errors of GramToken and MerchantEscrow, to decode revert data against. */
export const knownErrors = [...gramTokenAbi, ...merchantEscrowAbi].filter((item) => item.type === "error") as Abi;

/**
 * Turns an RPC error from estimating or calling into a WalletError: a revert with a known custom error
 * becomes TransactionRevertsError naming it and its arguments; anything else is a ChainError.
 */
export function revertOrChainError(error: unknown, what: string): Error {
  const data = findRevertData(error);
  if (data !== undefined) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: knownErrors, data });
      return new TransactionRevertsError(`${what} would revert: ${errorName}(${(args ?? []).map(show).join(", ")})`, {
        errorName,
        args,
        cause: error,
      });
    } catch {}
  }
  const message = messageOf(error);
  if (/revert/i.test(message)) {
    return new TransactionRevertsError(`${what} would revert`, { details: message, cause: error });
  }
  return new ChainError(`${what} failed at the RPC`, { details: message, cause: error });
}

/** Finds the raw revert data anywhere in an error's cause chain (deployments and raw RPC errors). */
export function findRevertData(error: unknown): Hex | undefined {
  for (
    let current = error as { data?: unknown; cause?: unknown } | undefined;
    current;
    current = current.cause as never
  ) {
    if (typeof current.data === "string" && isHex(current.data) && current.data.length >= 10) return current.data;
    if (typeof current.data === "object" && current.data !== null) {
      const nested = (current.data as { data?: unknown }).data;
      if (typeof nested === "string" && isHex(nested) && nested.length >= 10) return nested;
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  if (typeof short === "string") return short;
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

function show(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}
