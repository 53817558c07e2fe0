import { defineConfig } from "vitest/config";

// Two projects: "node" (contracts, node, wallet, scripts: each file starts its own in-process Hardhat
// chain) and "browser" (test/web/: Debian's Chromium driven by playwright-core against the real stack),
// which runs one file at a time because each file already drives a browser, a chain and a node.
export default defineConfig({
  test: {
    // Two workers match the two cores CI has.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: ["test/web/**"] } },
      { extends: true, test: { name: "browser", include: ["test/web/**/*.test.ts"], maxWorkers: 1 } },
    ],
  },
});
