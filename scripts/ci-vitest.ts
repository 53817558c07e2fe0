// Runs every vitest test and ends with the plain line CI reads: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const report = join(mkdtempSync(join(tmpdir(), "gram-vitest-")), "report.json");
const run = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { status: string }[];
  };
  passed = results.numPassedTests;
  // Skipped and todo tests count as failures: a test that does not run proves nothing.
  failed = results.numFailedTests + results.numPendingTests + results.numTodoTests;
  failed += results.testResults.filter((file) => file.status === "failed").length > 0 && failed === 0 ? 1 : 0;
} catch {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
