import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";
import { GAS_TARGETS, measureGas } from "../../../scripts/bench/measure-gas.ts";

const connection = await network.create();
afterAll(() => connection.close());

describe("gas", () => {
  it("equals the committed gas-snapshot.json for every operation (update it with npm run bench:gas -- --update)", async () => {
    const snapshot = JSON.parse(readFileSync("gas-snapshot.json", "utf8")) as Record<string, number>;
    const gas = await measureGas(connection);
    expect(gas).toEqual(snapshot);
    for (const [operation, target] of Object.entries(GAS_TARGETS)) {
      expect(gas[operation], operation).toBeLessThanOrEqual(target);
    }
  });
});
