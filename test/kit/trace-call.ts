import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hex } from "viem";

interface StructLog {
  op: string;
}

/**
 * Runs a call with `debug_traceCall` and returns the opcodes it executed, in order, and its revert
 * data (undefined when it succeeded): how a test shows what an operation did before it reverted.
 */
export async function traceCall(connection: NetworkConnection, call: { from: Address; to: Address; data: Hex }) {
  const trace = (await connection.provider.request({
    method: "debug_traceCall",
    params: [call, "latest", { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { failed: boolean; returnValue: string; structLogs: StructLog[] };
  const returned = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
  return {
    opcodes: trace.structLogs.map((step) => step.op),
    revert: trace.failed ? (returned as Hex) : undefined,
  };
}

/** How many KECCAK256 opcodes (SHA3 in older tracers) ran: EIP-712 digests and mapping slots. */
export const keccakCount = (opcodes: readonly string[]) =>
  opcodes.filter((op) => op === "KECCAK256" || op === "SHA3").length;
