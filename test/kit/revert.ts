import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult } from "viem";
import { expect } from "vitest";
import { findRevertData, knownErrors } from "../../wallet/actions/internal/revert.ts";

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
    const decoded = decodeErrorResult({ abi: [...knownErrors, ...extraAbi], data });
    name = decoded.errorName;
    decodedArgs = decoded.args ?? [];
  }
  expect(name).toBe(errorName);
  if (args !== undefined) expect(decodedArgs).toEqual(args);
}
