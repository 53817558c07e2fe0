// The build fails on compiler warnings: scripts/check-build.ts reads solc's own output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function check(diagnostics: object[]) {
  const dir = mkdtempSync(join(tmpdir(), "gram-build-info-"));
  writeFileSync(join(dir, "solc-0_8_37-x.output.json"), JSON.stringify({ output: { errors: diagnostics } }));
  return spawnSync(process.execPath, ["scripts/check-build.ts", dir], { encoding: "utf8" });
}

const transientNotice = {
  severity: "warning",
  errorCode: "2394",
  message: "Transient storage as defined by EIP-1153 can break the composability of smart contracts",
  sourceLocation: { file: "npm/@openzeppelin/contracts@5.7.0/utils/TransientSlot.sol" },
};

describe("check-build", () => {
  it("passes a clean build and the one accepted dependency notice", () => {
    expect(check([]).status).toBe(0);
    expect(check([transientNotice]).status).toBe(0);
  });

  it("fails on a warning in the project's own contracts and names it", () => {
    const result = check([
      {
        severity: "warning",
        errorCode: "2072",
        message: "Unused local variable.",
        formattedMessage: "Warning: Unused local variable. --> contracts/MerchantEscrow.sol:10:9",
        sourceLocation: { file: "contracts/MerchantEscrow.sol" },
      },
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Unused local variable");
    expect(result.stderr).toContain("1 compiler warning(s)");
  });

  it("fails on the same notice when it comes from the project's own code", () => {
    const result = check([{ ...transientNotice, sourceLocation: { file: "contracts/MerchantEscrow.sol" } }]);
    expect(result.status).toBe(1);
  });
});
