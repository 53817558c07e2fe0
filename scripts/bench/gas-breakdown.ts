// `npm run bench:gas:breakdown`: where each operation's gas goes, from an opcode trace of the very
// transactions `bench:gas` measures. Columns are gas units of the whole transaction:
//   intrinsic  21,000 base + calldata (16 per non-zero byte, 4 per zero byte)
//   sstore     storage writes (20,000 a fresh slot, 2,900 an update, +2,100 when the slot is cold)
//   sload      storage reads (2,100 cold, 100 warm)
//   calls      CALL/STATICCALL overhead: 2,600 per cold account, 100 warm, ecrecover's 3,000
//   logs       events (375 + 375 per topic + 8 per data byte)
//   keccak     hashing (EIP-712 digests, mapping slots)
//   other      stack, memory, jumps, checks, ABI decoding
//   refund     storage cleared in the transaction (capped at a fifth of the gas used)
import { network } from "hardhat";
import type { Hash } from "viem";
import { measureGas } from "./measure-gas.ts";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);
const CATEGORY: Record<string, string> = { SSTORE: "sstore", SLOAD: "sload", KECCAK256: "keccak", SHA3: "keccak" };

function categorize(logs: StructLog[]) {
  const totals: Record<string, number> = { sstore: 0, sload: 0, calls: 0, logs: 0, keccak: 0, other: 0 };
  logs.forEach((step, i) => {
    if (CALLS.has(step.op)) {
      // The caller's gas drop across the call, less what the callee's own steps spent (they are
      // counted by category where they occur); a precompile (ecrecover) has no steps of its own.
      let j = i + 1;
      while (j < logs.length && (logs[j] as StructLog).depth > step.depth) j++;
      const after = logs[j];
      const dropped = after ? step.gas - after.gas : step.gasCost;
      let calleeUsed = 0;
      if (j > i + 1) {
        const first = logs[i + 1] as StructLog;
        let last = j - 1;
        while ((logs[last] as StructLog).depth !== first.depth) last--;
        const end = logs[last] as StructLog;
        calleeUsed = first.gas - (end.gas - end.gasCost);
      }
      totals.calls = (totals.calls ?? 0) + dropped - calleeUsed;
    } else if (step.op.startsWith("LOG")) {
      totals.logs = (totals.logs ?? 0) + step.gasCost;
    } else {
      const category = CATEGORY[step.op] ?? "other";
      totals[category] = (totals[category] ?? 0) + step.gasCost;
    }
  });
  return totals;
}

const connection = await network.create();
const hashes: [string, Hash][] = [];
const gas = await measureGas(connection, { onMeasured: (operation, hash) => hashes.push([operation, hash]) });
const publicClient = await connection.viem.getPublicClient();

const rows: Record<string, Record<string, number>> = {};
for (const [operation, hash] of hashes) {
  const tx = await publicClient.getTransaction({ hash });
  const input = Buffer.from(tx.input.slice(2), "hex");
  const nonZero = input.filter((byte) => byte !== 0).length;
  const intrinsic = 21_000 + 16 * nonZero + 4 * (input.length - nonZero);
  const trace = (await connection.provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { structLogs: StructLog[] };
  const totals = categorize(trace.structLogs);
  const execution = Object.values(totals).reduce((sum, value) => sum + value, 0);
  const used = gas[operation] ?? 0;
  rows[operation] = { gasUsed: used, intrinsic, ...totals, refund: used - intrinsic - execution };
}
console.table(rows);
await connection.close();
