// `npm run bench:gas`: prints whole-transaction gas per operation against the targets and compares it
// with the committed gas-snapshot.json. `npm run bench:gas -- --update` rewrites the snapshot.
import { readFileSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import { GAS_TARGETS, measureGas } from "./measure-gas.ts";

const SNAPSHOT = "gas-snapshot.json";
const update = process.argv.includes("--update");

const connection = await network.create();
const gas = await measureGas(connection);
await connection.close();

let snapshot: Record<string, number> = {};
try {
  snapshot = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, number>;
} catch {}

const rows = Object.entries(gas).map(([operation, used]) => {
  const target = GAS_TARGETS[operation];
  const before = snapshot[operation];
  return {
    operation,
    gasUsed: used,
    target: target ?? "",
    meets: target === undefined ? "" : used <= target ? "yes" : "NO",
    snapshotDiff: before === undefined ? "new" : used - before,
  };
});
console.table(rows);

const missed = rows.filter((row) => row.meets === "NO");
const drifted = rows.filter((row) => row.snapshotDiff !== 0);
if (update) {
  writeFileSync(SNAPSHOT, `${JSON.stringify(gas, null, 2)}\n`);
  console.log(`${SNAPSHOT} updated (${rows.length} operations).`);
} else if (drifted.length > 0) {
  console.error(`${drifted.length} operation(s) differ from ${SNAPSHOT}; run with --update if that is intended.`);
  process.exitCode = 1;
}
if (missed.length > 0) {
  console.error(`${missed.length} operation(s) above target: ${missed.map((row) => row.operation).join(", ")}`);
  process.exitCode = 1;
}
