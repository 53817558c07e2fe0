// Fails the build on any compiler warning. Hardhat 3 prints warnings but does not fail on them, so
// this reads the compiler's own output (artifacts/build-info/*.output.json), which also covers builds
// served from Hardhat's cache. One warning is accepted, in a dependency and by name: solc's EIP-1153
// notice on OpenZeppelin's TransientSlot, which is what ReentrancyGuardTransient is built on (the
// notice itself says a reentrancy guard cleared at the end of the call is safe).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface Diagnostic {
  severity: string;
  errorCode?: string;
  formattedMessage?: string;
  message: string;
  sourceLocation?: { file: string };
}

const ACCEPTED = [{ errorCode: "2394", file: "npm/@openzeppelin/contracts@5.7.0/utils/TransientSlot.sol" }];

const dir = process.argv[2] ?? "artifacts/build-info";
const problems: Diagnostic[] = [];
for (const name of readdirSync(dir)) {
  if (!name.endsWith(".output.json")) continue;
  const { output } = JSON.parse(readFileSync(join(dir, name), "utf8")) as { output: { errors?: Diagnostic[] } };
  for (const diagnostic of output.errors ?? []) {
    const accepted = ACCEPTED.some(
      (rule) => rule.errorCode === diagnostic.errorCode && rule.file === diagnostic.sourceLocation?.file,
    );
    if (!accepted) problems.push(diagnostic);
  }
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem.formattedMessage ?? problem.message);
  console.error(`check-build: ${problems.length} compiler warning(s) or error(s); the build must be clean.`);
  process.exit(1);
}
