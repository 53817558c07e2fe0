// `gram-node` in the node's tests: bin/gram-node as a child process (scripts/lib/spawn-gram-node.ts) against
// the node's test chain, with a deployments folder and data folders of its own in a temp folder, and the
// check that what it serves equals the chain.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, parseAbiItem } from "viem";
import { expect } from "vitest";
import type { Deployment } from "../../protocol/deployments.ts";
import { startChain, type TestChain } from "./chain.ts";
import { getJson } from "./http.ts";

/**
 * A deployments folder holding `<chainId>.json` (the chain's deployment, or `deployment` for a record that
 * does not match it), and an empty data folder.
 */
export async function nodeFolders(chain: Pick<TestChain, "deployment">, deployment: Deployment = chain.deployment) {
  const root = await mkdtemp(join(tmpdir(), "gram-node-bin-"));
  const deployments = join(root, "deployments");
  await mkdir(deployments);
  await writeFile(join(deployments, `${deployment.chainId}.json`), `${JSON.stringify(deployment, null, 2)}\n`);
  return { root, deployments, dataDir: join(root, "data"), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A fresh test chain and node folders for it, for a test file's `beforeAll`; `close` ends the chain and
 * removes the folders.
 */
export async function startChainWithFolders() {
  const chain = await startChain();
  const folders = await nodeFolders(chain).catch(async (error: unknown) => {
    await chain.close();
    throw error;
  });
  return {
    chain,
    folders,
    close: async () => {
      await chain.close();
      await folders.cleanup();
    },
  };
}

const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/**
 * What the node serves equals the chain: `GET /v1/accounts/:address` shows `balanceOf` for every
 * account (and the escrow), and `eventsIndexed` is the number of token Transfer logs since the deploy
 * block (the workloads make no other event the indexer counts).
 */
export async function expectServedEqualsChain(chain: TestChain, url: string) {
  for (const account of [...chain.accounts, chain.escrow] as Address[]) {
    const onChain = await chain.client.readContract({
      address: chain.token,
      abi: [parseAbiItem("function balanceOf(address) view returns (uint256)")],
      functionName: "balanceOf",
      args: [account],
    });
    const { status, body } = await getJson(`${url}/v1/accounts/${account}`);
    expect(status).toBe(200);
    expect({ account, balance: body.balances[0].balance }).toEqual({ account, balance: onChain.toString() });
  }
  const logs = await chain.client.getLogs({
    address: chain.token,
    event: TRANSFER,
    fromBlock: BigInt(chain.deployBlock),
    toBlock: "latest",
  });
  const { body } = await getJson(`${url}/v1/status`);
  expect(body.eventsIndexed).toBe(logs.length);
}
