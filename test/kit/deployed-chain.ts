// The chain the node's, the CLI's and the chat's tests run against: Hardhat's chain served on loopback
// (scripts/lib/serve-chain.ts), GramToken and MerchantEscrow deployed by account 0 with the treasury and
// the arbiter in their roles, and recorded in `<temp>/deployments/<chainId>.json` the way `npm run deploy`
// records them, so that `gram-node` and `gram` child processes find them. Funding is the caller's.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifacts } from "hardhat";
import { type Address, createPublicClient, getAddress, http, type PublicClient } from "viem";
import type { Deployment } from "../../protocol/deployments.ts";
import { deployContracts } from "../../scripts/lib/deploy-contracts.ts";
import { type ServedChain, serveChain } from "../../scripts/lib/serve-chain.ts";
import { addressOf } from "./accounts.ts";

export interface DeployedChain extends Pick<ServedChain, "url" | "connection" | "rpc"> {
  client: PublicClient;
  chainId: number;
  /** Checksummed contract addresses. */
  token: Address;
  escrow: Address;
  /** The block GramToken was deployed in: where the node starts indexing. */
  deployBlock: number;
  deployment: Deployment;
  /** A temp folder of the chain's own, removed by `close`. */
  temp: string;
  /** `<temp>/deployments`, holding `<chainId>.json`. */
  deployments: string;
  close(): Promise<void>;
}

/**
 * Serves a fresh chain and deploys the contracts on it; `close` stops it and removes its temp folder (also
 * when the start fails half-way).
 *
 * @example
 * const chain = await startDeployedChain();
 * spawnGramNode(["--rpc", chain.url, "--deployments", chain.deployments, "--data-dir", dir, "--port", "0"]);
 */
export async function startDeployedChain(): Promise<DeployedChain> {
  const served = await serveChain();
  let temp: string | undefined;
  const close = async () => {
    await served.close();
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  };
  try {
    temp = await mkdtemp(join(tmpdir(), "gram-chain-"));
    const deployments = join(temp, "deployments");
    const { deployment } = await deployContracts({
      viem: served.connection.viem,
      artifacts,
      dir: deployments,
      env: { GRAM_TREASURY: addressOf("treasury"), GRAM_ARBITER: addressOf("arbiter") },
    });
    return {
      url: served.url,
      connection: served.connection,
      rpc: served.rpc,
      client: createPublicClient({ transport: http(served.url) }),
      chainId: deployment.chainId,
      token: getAddress(deployment.contracts.GramToken.address),
      escrow: getAddress(deployment.contracts.MerchantEscrow.address),
      deployBlock: deployment.deployBlock,
      deployment,
      temp,
      deployments,
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
