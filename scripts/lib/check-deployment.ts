import type { ArtifactManager } from "hardhat/types/artifacts";
import type { Address, Hex, PublicClient } from "viem";
import { type Deployment, deploymentAbiHash } from "../../protocol/deployments.ts";

const CONTRACT_NAMES = ["GramToken", "MerchantEscrow"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface CheckDeploymentParameters {
  publicClient: Pick<PublicClient, "getCode">;
  artifacts: Pick<ArtifactManager, "readArtifact">;
  deployment: Deployment;
}

/** Why a recorded deployment cannot be reused, or `undefined` when it is live and current. */
export type CheckDeploymentReturnType = string | undefined;

/**
 * Checks that a recorded deployment is live on the connected chain and is what this checkout compiles:
 * the ABI hash matches, and each address holds the artifact's runtime code. Immutables (the EIP-712
 * domain cache, the fee) are set by the constructor, so their bytes are zeroed on both sides first.
 *
 * @example
 * const reason = await checkDeployment({ publicClient, artifacts, deployment });
 * if (reason !== undefined) console.log(`redeploying: ${reason}`);
 */
export async function checkDeployment({
  publicClient,
  artifacts,
  deployment,
}: CheckDeploymentParameters): Promise<CheckDeploymentReturnType> {
  if (deployment.abiHash !== deploymentAbiHash) {
    return `it records ABI hash ${deployment.abiHash}, but the compiled ABIs hash to ${deploymentAbiHash}`;
  }
  for (const name of CONTRACT_NAMES) {
    const { address } = deployment.contracts[name];
    const reason = await checkCode(publicClient, artifacts, name, address);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

async function checkCode(
  publicClient: CheckDeploymentParameters["publicClient"],
  artifacts: CheckDeploymentParameters["artifacts"],
  name: ContractName,
  address: Address,
): Promise<string | undefined> {
  const code = await publicClient.getCode({ address });
  if (code === undefined || code === "0x") return `no code at ${name} ${address} (a restarted chain?)`;
  const artifact = await artifacts.readArtifact(name);
  const ranges = Object.values(artifact.immutableReferences ?? {}).flat();
  const expected = withZeroedRanges(artifact.deployedBytecode as Hex, ranges);
  if (code.length !== expected.length || withZeroedRanges(code, ranges) !== expected) {
    return `the code at ${name} ${address} is not the compiled ${name}`;
  }
  return undefined;
}

function withZeroedRanges(code: Hex, ranges: readonly { start: number; length: number }[]): string {
  const chars = code.toLowerCase().split("");
  for (const { start, length } of ranges) {
    // Two hex characters per byte, after the "0x" prefix.
    chars.fill("0", 2 + 2 * start, 2 + 2 * (start + length));
  }
  return chars.join("");
}
