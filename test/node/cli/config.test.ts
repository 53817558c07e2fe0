// The node's configuration checks that need the chain: demo accounts (published keys) only on a
// development chain.
import { describe, expect, it } from "vitest";
import { checkDemoAccounts } from "../../../node/cli/config.ts";

describe("checkDemoAccounts", () => {
  const demo = { webDemoAccounts: [{ name: "alice", index: 1 }] };

  it("allows demo accounts on Hardhat's and the dev chains", () => {
    expect(() => checkDemoAccounts(demo, 31_337)).not.toThrow();
    expect(() => checkDemoAccounts(demo, 1_337)).not.toThrow();
  });

  it("refuses them on any other chain, naming the flag and the chain", () => {
    for (const chainId of [1, 10, 8_453, 11_155_111]) {
      expect(() => checkDemoAccounts(demo, chainId)).toThrow(
        `--web-demo-accounts: got 'alice=1', expected nothing on chain ${chainId}: demo accounts are for development chains only (31337, 1337)`,
      );
    }
  });

  it("lets any chain run without them", () => {
    expect(() => checkDemoAccounts({ webDemoAccounts: [] }, 1)).not.toThrow();
  });
});
