import { BaseError, ContractFunctionRevertedError } from "viem";
import { expect } from "vitest";

/**
 * Awaits `action` and asserts that it reverted with the custom error `errorName` and, when given,
 * exactly `args` (compared after viem decodes them against the contract's ABI).
 */
export async function expectRevert(action: Promise<unknown>, errorName: string, args?: readonly unknown[]) {
  let caught: unknown;
  try {
    await action;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`expected a revert with ${errorName}, but the call succeeded`);
  if (!(caught instanceof BaseError)) throw caught;
  const revert = caught.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) throw caught;
  expect(revert.data?.errorName ?? revert.reason ?? revert.shortMessage).toBe(errorName);
  if (args !== undefined) expect(revert.data?.args ?? []).toEqual(args);
}
