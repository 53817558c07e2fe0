// What `npm run bench:wallet` runs against: Hardhat's chain served on loopback by the bench process,
// GramToken and MerchantEscrow deployed into a temp deployments folder, a fresh account funded with ETH
// and GRAM, and the real `bin/gram-node` (store + indexer + API + relayer) in a child process with a
// fresh relayer key in a 0600 file, waited on until it has indexed the chain's head.
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { artifacts, network } from "hardhat";
import { type Address, createPublicClient, getAddress, type Hash, type Hex, http, parseEther, parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { getStatus } from "../../wallet/node/getStatus.ts";
import { http as nodeHttp } from "../../wallet/node/http.ts";
import { deployContracts } from "../lib/deploy-contracts.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
/** GRAM has 9 decimals; the funded account gets this much. */
export const FUNDED_GRAM = "1000";

export interface WalletBenchChain {
  url: string;
  chainId: number;
  token: Address;
  escrow: Address;
  deployments: string;
  /** The funded account (ETH for gas, GRAM to send): its key goes into the benchmark's keystore. */
  user: { address: Address; privateKey: Hex };
  /** A funded key for the node's relayer. */
  relayer: { address: Address; privateKey: Hex };
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  balanceOf(owner: Address): Promise<bigint>;
  close(): Promise<void>;
}

/** Serves the chain on 127.0.0.1, deploys into `<temp>/deployments`, and funds the user and the relayer. */
export async function startWalletBenchChain(temp: string): Promise<WalletBenchChain> {
  const server = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await server.listen();
  const url = `http://${address}:${port}`;
  let connection: Awaited<ReturnType<typeof network.create>> | undefined;
  try {
    connection = await network.create({ network: "localhost", override: { url } });
    const publicClient = createPublicClient({ transport: http(url) });
    const rpc = <T>(method: string, params: unknown[] = []) =>
      publicClient.request({ method: method as never, params: params as never }) as Promise<T>;
    await rpc("evm_setAutomine", [true]);
    const deployments = join(temp, "deployments");
    const { deployment } = await deployContracts({ viem: connection.viem, artifacts, dir: deployments });
    const token = getAddress(deployment.contracts.GramToken.address);
    const escrow = getAddress(deployment.contracts.MerchantEscrow.address);

    const [deployer] = await connection.viem.getWalletClients();
    if (deployer === undefined) throw new Error("the chain has no account to deploy from");
    const fresh = () => {
      const privateKey = generatePrivateKey();
      return { address: privateKeyToAccount(privateKey).address, privateKey };
    };
    const user = fresh();
    const relayer = fresh();
    const sent: Hash[] = [
      await deployer.sendTransaction({ to: user.address, value: parseEther("100") }),
      await deployer.sendTransaction({ to: relayer.address, value: parseEther("100") }),
      await deployer.writeContract({
        address: token,
        abi: gramTokenAbi,
        functionName: "mint",
        args: [user.address, parseUnits(FUNDED_GRAM, 9)],
      }),
    ];
    for (const hash of sent) {
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`funding transaction ${hash} reverted`);
    }
    const balanceOf = (owner: Address) =>
      publicClient.readContract({ address: token, abi: gramTokenAbi, functionName: "balanceOf", args: [owner] });
    if ((await balanceOf(user.address)) !== parseUnits(FUNDED_GRAM, 9)) throw new Error("the mint did not land");
    // One more block, so that the funding has the node's two confirmations: balances read as confirmed.
    await rpc("evm_mine");

    const opened = connection;
    return {
      url,
      chainId: deployment.chainId,
      token,
      escrow,
      deployments,
      user,
      relayer,
      rpc,
      balanceOf,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await connection?.close().catch(() => {});
    await server.close().catch(() => {});
    throw error;
  }
}

export interface GramNode {
  child: ChildProcess;
  url: string;
  /** The relayer address from the node's "serving" record. */
  relayer: string | undefined;
  /** Spawn → "serving", and spawn → indexed the chain's head. */
  servingMs: number;
  syncedMs: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node bin/gram-node` on `chain` with the relayer's key in `<temp>/relayer.key` (mode 0600) and
 * a data folder in `temp`; resolves once it serves and has indexed the head block (number and hash).
 * `onSpawn` gets the child at once, so that a failure later still lets the caller stop it. `flags` come
 * last, so that they override the benchmark's own (the relayer's limits, a data folder).
 */
export async function startGramNode(
  chain: WalletBenchChain,
  temp: string,
  onSpawn: (child: ChildProcess) => void,
  flags: readonly string[] = [],
): Promise<GramNode> {
  const keyFile = join(temp, "relayer.key");
  await writeFile(keyFile, `${chain.relayer.privateKey}\n`, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  const started = performance.now();
  // biome-ignore format: one flag and its value a line.
  const child = spawn(process.execPath, [
    join(ROOT, "bin/gram-node"),
    "--rpc", chain.url,
    "--data-dir", join(temp, "node-data"),
    "--deployments", chain.deployments,
    "--port", "0",
    "--poll-interval-ms", "20",
    "--relayer-key-file", keyFile,
    // The benchmark relays 30+ transfers from one payer and one IP within a minute; the defaults allow 10 and 60.
    "--relay-rate-limit", "100000",
    "--relay-ip-rate-limit", "1000000",
    ...flags,
  ], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ["ignore", "pipe", "pipe"] });
  onSpawn(child);
  let output = "";
  let pending = "";
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const serving = new Promise<{ url: string; relayer?: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`gram-node did not serve within 30 s:\n${output}`)), 30_000);
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`gram-node exited (${child.signalCode ?? child.exitCode}) before serving:\n${output}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const record = JSON.parse(line) as { msg?: string; url?: string; relayer?: string };
        if (record.msg === "serving" && record.url !== undefined) {
          clearTimeout(timer);
          done({ url: record.url, ...(record.relayer === undefined ? {} : { relayer: record.relayer }) });
        }
      }
    });
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  serving.catch(() => {});
  const { url, relayer } = await serving;
  const servingMs = performance.now() - started;
  await waitSynced(chain, url);
  const syncedMs = performance.now() - started;
  return {
    child,
    url,
    relayer,
    servingMs,
    syncedMs,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until the node's /v1/status shows the chain's head block (number and hash). */
export async function waitSynced(chain: WalletBenchChain, nodeUrl: string, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  const node = createNodeClient({ transport: nodeHttp(nodeUrl) });
  for (;;) {
    const head = await chain.rpc<{ number: Hex; hash: Hex }>("eth_getBlockByNumber", ["latest", false]);
    const status = await getStatus(node).catch(() => undefined);
    if (status?.indexedBlock === Number(head.number) && status.indexedHash === head.hash) return;
    if (performance.now() > deadline) {
      throw new Error(`the node did not index block ${Number(head.number)} within ${timeoutMs} ms`);
    }
    await new Promise((done) => setTimeout(done, 10));
  }
}
