// `gram-node` as a user runs it: bin/gram-node in a child process against a Hardhat chain served on
// loopback, with a deployments folder and a data folder of its own in a temp folder.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, type PublicClient, parseAbiItem } from "viem";
import { expect } from "vitest";
import { deploymentAbiHash } from "../../../protocol/deployments.ts";
import { startChain, type TestChain } from "../chain.ts";

const BIN = join(import.meta.dirname, "../../../bin/gram-node");

export interface NodeProcess {
  child: ChildProcess;
  /** When it was spawned (performance.now()). */
  spawnedAt: number;
  /** The URL from its "serving" record. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
  /** Its JSON log records so far. */
  // biome-ignore lint/suspicious/noExplicitAny: records are asserted on field by field.
  records(): any[];
  /** Calls `listener` on each JSON record as it arrives. */
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  onRecord(listener: (record: any) => void): void;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every child still running: for `afterEach`. */
export function killAll() {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export function spawnNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): NodeProcess {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    // A clean environment for the node's own variables, so that the runner's never leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  let pending = "";
  // biome-ignore lint/suspicious/noExplicitAny: see NodeProcess.
  const records: any[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: see NodeProcess.
  const listeners: ((record: any) => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const record = JSON.parse(line);
      records.push(record);
      for (const listener of listeners) listener(record);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gram-node did not start:\n${output}`)), 30_000);
    listeners.push((record) => {
      if (record.msg === "serving") {
        clearTimeout(timer);
        resolve(record.url);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gram-node exited with ${code} before serving:\n${output}`));
    });
  });
  // A run that is expected to fail is never awaited for readiness.
  ready.catch(() => {});
  return {
    child,
    spawnedAt,
    ready,
    exited,
    output: () => output,
    records: () => records,
    onRecord: (listener) => listeners.push(listener),
  };
}

/** A deployments folder holding `<chainId>.json` for the test chain's contracts, and an empty data folder. */
export async function nodeFolders(chain: TestChain) {
  const root = await mkdtemp(join(tmpdir(), "gram-node-bin-"));
  const deployments = join(root, "deployments");
  await mkdir(deployments);
  const record = {
    chainId: chain.chainId,
    deployBlock: chain.deployBlock,
    abiHash: deploymentAbiHash,
    contracts: {
      GramToken: { address: chain.token, blockNumber: chain.deployBlock },
      MerchantEscrow: { address: chain.escrow, blockNumber: chain.deployBlock + 1 },
    },
  };
  await writeFile(join(deployments, `${chain.chainId}.json`), `${JSON.stringify(record, null, 2)}\n`);
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

// biome-ignore lint/suspicious/noExplicitAny: tests read fields of the answers and assert on them.
export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "a condition") {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the node has indexed the chain's head block (number and hash). */
export async function waitSynced(chain: TestChain, url: string, timeoutMs = 20_000) {
  await waitIndexed(chain.client, url, timeoutMs);
}

/** `waitSynced` for any client of the chain: until the node at `url` has indexed the head `client` sees. */
export async function waitIndexed(client: Pick<PublicClient, "getBlock">, url: string, timeoutMs = 20_000) {
  await waitFor(
    async () => {
      const head = await client.getBlock({ blockTag: "latest" });
      const { status, body } = await getJson(`${url}/v1/status`).catch(() => ({ status: 0, body: undefined }));
      return status === 200 && body.indexedBlock === Number(head.number) && body.indexedHash === head.hash;
    },
    timeoutMs,
    "the node to index the head",
  );
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
