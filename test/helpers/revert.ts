import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex, isHex } from "viem";
import { expect } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";

const KNOWN_ERRORS = [...gramTokenAbi, ...merchantEscrowAbi].filter((item) => item.type === "error") as Abi;

/** Finds the raw revert data anywhere in an error's cause chain (deployments and raw RPC errors). */
function findRevertData(error: unknown): Hex | undefined {
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

/**
 * Awaits `action` and asserts that it reverted with the custom error `errorName` and, when given,
 * exactly `args` (decoded against the contract's ABI, or the project's ABIs plus `extraAbi`).
 */
export async function expectRevert(
  action: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
  extraAbi: Abi = [],
) {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected a revert with ${errorName}, but the call succeeded`);
  let name: string | undefined;
  let decodedArgs: readonly unknown[] | undefined;
  if (caught instanceof BaseError) {
    const revert = caught.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError && revert.data) {
      name = revert.data.errorName;
      decodedArgs = revert.data.args ?? [];
    }
  }
  if (name === undefined) {
    const data = findRevertData(caught);
    if (data === undefined) throw caught;
    const decoded = decodeErrorResult({ abi: [...KNOWN_ERRORS, ...extraAbi], data });
    name = decoded.errorName;
    decodedArgs = decoded.args ?? [];
  }
  expect(name).toBe(errorName);
  if (args !== undefined) expect(decodedArgs).toEqual(args);
}
