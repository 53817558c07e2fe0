import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DeploymentError, loadDeployment, parseDeployment } from "../../protocol/deployments.ts";

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ESCROW = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const ABI_HASH = `0x${"ab".repeat(32)}`;

/** A well-formed record, addresses lower-cased as a hand-edited file might have them. */
const good = () => ({
  chainId: 31337,
  deployBlock: 1,
  abiHash: ABI_HASH,
  contracts: {
    GramToken: { address: TOKEN.toLowerCase(), blockNumber: 1 },
    MerchantEscrow: { address: ESCROW.toLowerCase(), blockNumber: 2 },
  },
});

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh folder holding `<name>` with `text`. */
async function folderWith(name: string, text: string) {
  const dir = await mkdtemp(join(tmpdir(), "gram-deployments-"));
  dirs.push(dir);
  await writeFile(join(dir, name), text);
  return dir;
}

/** The short message of the DeploymentError that `action` rejects with (fails if it resolves or throws another error). */
async function failure(action: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    expect(error).toBeInstanceOf(DeploymentError);
    return (error as DeploymentError).shortMessage;
  }
  throw new Error("expected a DeploymentError, but it succeeded");
}

describe("loadDeployment", () => {
  it("reads a good file and returns checksummed addresses", async () => {
    const dir = await folderWith("31337.json", JSON.stringify(good()));
    expect(await loadDeployment(31337, dir)).toEqual({
      chainId: 31337,
      deployBlock: 1,
      abiHash: ABI_HASH,
      contracts: {
        GramToken: { address: TOKEN, blockNumber: 1 },
        MerchantEscrow: { address: ESCROW, blockNumber: 2 },
      },
    });
  });

  it("a missing file says which chain and how to create it", async () => {
    const dir = await folderWith("1.json", JSON.stringify({ ...good(), chainId: 1 }));
    expect(await failure(loadDeployment(31337, dir))).toBe(
      `${join(dir, "31337.json")}: no deployment for chain 31337; run \`npm run deploy\` first`,
    );
  });

  it("a file that is not JSON is rejected as such", async () => {
    const dir = await folderWith("31337.json", '{"chainId": 31337,');
    expect(await failure(loadDeployment(31337, dir))).toBe(`${join(dir, "31337.json")}: not valid JSON`);
  });

  it("a file recording another chain is rejected with both chain ids", async () => {
    const dir = await folderWith("31337.json", JSON.stringify({ ...good(), chainId: 1 }));
    expect(await failure(loadDeployment(31337, dir))).toBe(
      `${join(dir, "31337.json")}: records chain 1, expected 31337`,
    );
  });

  it("a malformed address is rejected with its path in the file", async () => {
    const record = good();
    record.contracts.MerchantEscrow.address = "0x1234";
    const dir = await folderWith("31337.json", JSON.stringify(record));
    expect(await failure(loadDeployment(31337, dir))).toBe(
      `${join(dir, "31337.json")}: contracts.MerchantEscrow.address: expected a 0x-prefixed 20-byte address (EIP-55 if mixed-case)`,
    );
  });

  it("a missing field is named", async () => {
    const { deployBlock: _, ...record } = good();
    const dir = await folderWith("31337.json", JSON.stringify(record));
    expect(await failure(loadDeployment(31337, dir))).toBe(`${join(dir, "31337.json")}: deployBlock: missing`);
  });
});

describe("parseDeployment", () => {
  it("accepts a good record", () => {
    expect(parseDeployment(good()).contracts.MerchantEscrow.address).toBe(ESCROW);
  });

  it("names a missing contract", async () => {
    const record: Record<string, unknown> = good();
    record.contracts = { GramToken: good().contracts.GramToken };
    expect(await failure(() => parseDeployment(record, "record"))).toBe("record: contracts.MerchantEscrow: missing");
  });

  it("names a missing nested field", async () => {
    const record = good();
    const { blockNumber: _, ...token } = record.contracts.GramToken;
    expect(
      await failure(() => parseDeployment({ ...record, contracts: { ...record.contracts, GramToken: token } })),
    ).toBe("deployment: contracts.GramToken.blockNumber: missing");
  });

  it("rejects a wrongly typed chain id, a negative block and a short hash", async () => {
    expect(await failure(() => parseDeployment({ ...good(), chainId: "31337" }))).toBe(
      "deployment: chainId: Invalid input: expected number, received string",
    );
    expect(await failure(() => parseDeployment({ ...good(), deployBlock: -1 }))).toBe(
      "deployment: deployBlock: Too small: expected number to be >=0",
    );
    expect(await failure(() => parseDeployment({ ...good(), abiHash: "0xabcd" }))).toBe(
      "deployment: abiHash: expected a 32-byte hex hash",
    );
  });

  it("rejects a record that is not an object", async () => {
    expect(await failure(() => parseDeployment(null))).toBe(
      "deployment: (root): Invalid input: expected object, received null",
    );
  });
});
