import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { ArtifactManager } from "hardhat/types/artifacts";
import type { Address, Hash } from "viem";
import {
  type Deployment,
  DeploymentError,
  deploymentAbiHash,
  loadDeployment,
  parseDeployment,
} from "../../protocol/deployments.ts";
import { BaseError } from "../../protocol/errors.ts";
import { checkDeployment } from "./check-deployment.ts";
import { DEFAULT_WITHDRAW_FEE_BPS, type DeployConfig, type DeployEnv, parseDeployConfig } from "./deploy-config.ts";

export interface DeployContractsParameters {
  viem: HardhatViemHelpers;
  artifacts: Pick<ArtifactManager, "readArtifact">;
  /** Where `<chainId>.json` is read and written (`deployments` for `npm run deploy`). */
  dir: string;
  /** GRAM_TREASURY, GRAM_ARBITER, GRAM_WITHDRAW_FEE_BPS (see `parseDeployConfig`). */
  env?: DeployEnv;
  log?: (line: string) => void;
}

export interface DeployContractsReturnType {
  /** `reused`: the recorded contracts are live and current, and nothing was sent. */
  status: "deployed" | "reused";
  file: string;
  deployment: Deployment;
}

export class DeployError extends BaseError {
  override name = "DeployError";
  readonly code = "DEPLOY_FAILED";
}

/**
 * Deploys GramToken (admin = deployer) and MerchantEscrow (owner = deployer) and records them in
 * `<dir>/<chainId>.json`. Safe to re-run: a recorded deployment whose code is live and current is
 * reused without a transaction; a stale one (a restarted chain, recompiled contracts) is replaced.
 *
 * @example
 * const { viem } = await network.create();
 * const { deployment, file } = await deployContracts({ viem, artifacts, dir: "deployments", env: process.env });
 */
export async function deployContracts({
  viem,
  artifacts,
  dir,
  env = {},
  log = () => {},
}: DeployContractsParameters): Promise<DeployContractsReturnType> {
  const publicClient = await viem.getPublicClient();
  const deployer = await deployerOf(viem);
  // Validated before anything is sent or written, so a typo costs nothing.
  const config = parseDeployConfig(env, deployer.account.address);
  const chainId = await publicClient.getChainId();
  const file = join(dir, `${chainId}.json`);

  const recorded = await readRecorded(chainId, dir);
  if (recorded.deployment !== undefined) {
    const reason = await checkDeployment({ publicClient, artifacts, deployment: recorded.deployment });
    if (reason === undefined) {
      log(`already deployed on chain ${chainId}; ${file} is unchanged`);
      return { status: "reused", file, deployment: recorded.deployment };
    }
    log(`redeploying: ${file} is stale: ${reason}`);
  } else if (recorded.problem !== undefined) {
    log(`redeploying: ${recorded.problem}`);
  }

  log(`deploying from ${deployer.account.address} on chain ${chainId}`);
  const deployment = await deployFresh({ viem, config });
  await writeAtomically(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return { status: "deployed", file, deployment };
}

export interface DeployFreshParameters {
  viem: HardhatViemHelpers;
  /** The escrow's treasury, arbiter and fee; unset ones default as `npm run deploy`'s do (the deployer, 50 bps). */
  config?: Partial<DeployConfig>;
}

/**
 * Deploys a new GramToken (admin = deployer) and MerchantEscrow (owner = deployer) from the network's first
 * account, and returns their record without writing it anywhere: the one way contracts are deployed, by
 * `deployContracts`, the tests' fixtures and the benchmarks.
 *
 * @example
 * const deployment = await deployFresh({ viem: connection.viem, config: { arbiter } });
 * deployment.contracts.MerchantEscrow.address;
 */
export async function deployFresh({ viem, config = {} }: DeployFreshParameters): Promise<Deployment> {
  const publicClient = await viem.getPublicClient();
  const deployer = await deployerOf(viem);
  const owner = deployer.account.address;
  const token = await viem.sendDeploymentTransaction("GramToken", [owner]);
  const tokenAt = await mined(publicClient, "GramToken", token.deploymentTransaction.hash);
  const escrow = await viem.sendDeploymentTransaction("MerchantEscrow", [
    owner,
    config.treasury ?? owner,
    config.arbiter ?? owner,
    config.withdrawFeeBps ?? DEFAULT_WITHDRAW_FEE_BPS,
  ]);
  const escrowAt = await mined(publicClient, "MerchantEscrow", escrow.deploymentTransaction.hash);
  return parseDeployment({
    chainId: await publicClient.getChainId(),
    deployBlock: Math.min(tokenAt.blockNumber, escrowAt.blockNumber),
    abiHash: deploymentAbiHash,
    contracts: { GramToken: tokenAt, MerchantEscrow: escrowAt },
  });
}

/** The network's first account, which deploys and owns the contracts. */
async function deployerOf(viem: HardhatViemHelpers) {
  const [deployer] = await viem.getWalletClients();
  if (deployer === undefined) {
    throw new DeployError("the network has no account to deploy from (for --network custom, set GRAM_DEPLOYER_KEY)");
  }
  return deployer;
}

/** The recorded deployment, or why there is none to reuse (absent, unreadable, malformed). */
async function readRecorded(chainId: number, dir: string): Promise<{ deployment?: Deployment; problem?: string }> {
  if (!existsSync(join(dir, `${chainId}.json`))) return {};
  try {
    return { deployment: await loadDeployment(chainId, dir) };
  } catch (error) {
    if (error instanceof DeploymentError) return { problem: error.shortMessage };
    throw error;
  }
}

async function mined(
  publicClient: Awaited<ReturnType<HardhatViemHelpers["getPublicClient"]>>,
  name: string,
  hash: Hash,
): Promise<{ address: Address; blockNumber: number }> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new DeployError(`${name} deployment ${hash} reverted in block ${receipt.blockNumber}`);
  }
  return { address: receipt.contractAddress, blockNumber: Number(receipt.blockNumber) };
}

/** Readers (the node, the wallet) never see a half-written file: write beside it, then rename over it. */
async function writeAtomically(file: string, text: string) {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
