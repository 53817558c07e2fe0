// What `npm run bench:wallet` (and bench:chat, bench:relayer) runs against: Hardhat's chain served on
// loopback by the bench process (scripts/lib/serve-chain.ts), GramToken and MerchantEscrow deployed into a
// temp deployments folder, a fresh account funded with ETH and GRAM, and the real `bin/gram-node` (store +
// indexer + API + relayer) in a child process with a fresh relayer key in a 0600 file, waited on until it
// has indexed the chain's head.
import { join, resolve } from "node:path";
import { artifacts } from "hardhat";
import {
  type Address,
  createPublicClient,
  getAddress,
  type Hash,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  parseUnits,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { deployContracts } from "../lib/deploy-contracts.ts";
import { serveChain } from "../lib/serve-chain.ts";
import { type NodeProcess, startGramNode } from "../lib/spawn-gram-node.ts";
import { waitIndexed } from "../lib/wait-indexed.ts";

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
  publicClient: PublicClient;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  balanceOf(owner: Address): Promise<bigint>;
  close(): Promise<void>;
}

/** Serves the chain on 127.0.0.1, deploys into `<temp>/deployments`, and funds the user and the relayer. */
export async function startWalletBenchChain(temp: string): Promise<WalletBenchChain> {
  const served = await serveChain();
  const { url, rpc } = served;
  try {
    const publicClient = createPublicClient({ transport: http(url) });
    await rpc("evm_setAutomine", [true]);
    const deployments = join(temp, "deployments");
    const { deployment } = await deployContracts({ viem: served.connection.viem, artifacts, dir: deployments });
    const token = getAddress(deployment.contracts.GramToken.address);
    const escrow = getAddress(deployment.contracts.MerchantEscrow.address);

    const [deployer] = await served.connection.viem.getWalletClients();
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

    return {
      url,
      chainId: deployment.chainId,
      token,
      escrow,
      deployments,
      user,
      relayer,
      publicClient,
      rpc,
      balanceOf,
      close: served.close,
    };
  } catch (error) {
    await served.close().catch(() => {});
    throw error;
  }
}

export interface GramNode extends NodeProcess {
  url: string;
  /** The relayer address from the node's "serving" record. */
  relayer: string | undefined;
  /** Spawn → "serving", and spawn → indexed the chain's head. */
  servingMs: number;
  syncedMs: number;
}

/**
 * Starts `node bin/gram-node` on `chain` (scripts/lib/spawn-gram-node.ts) with the relayer's key in
 * `<temp>/relayer.key` (mode 0600) and a data folder in `temp`; resolves once it serves and has indexed the
 * head block (number and hash). `flags` come last, so that they override the benchmark's own (the relayer's
 * limits, a data folder).
 */
export async function startBenchNode(
  chain: WalletBenchChain,
  temp: string,
  flags: readonly string[] = [],
): Promise<GramNode> {
  const node = await startGramNode({
    rpc: chain.url,
    deployments: chain.deployments,
    dir: temp,
    relayerKey: chain.relayer.privateKey,
    // biome-ignore format: one flag and its value a line.
    flags: [
      "--poll-interval-ms", "20",
      // The benchmark relays 30+ transfers from one payer and one IP within a minute; the defaults allow 10 and 60.
      "--relay-rate-limit", "100000",
      "--relay-ip-rate-limit", "1000000",
      ...flags,
    ],
  });
  const servingMs = performance.now() - node.spawnedAt;
  try {
    await waitIndexed(chain.publicClient, node.url, 30_000);
  } catch (error) {
    await node.stop();
    throw error;
  }
  const serving = node.records().find((record) => record.msg === "serving");
  return {
    ...node,
    relayer: serving?.relayer,
    servingMs,
    syncedMs: performance.now() - node.spawnedAt,
  };
}
