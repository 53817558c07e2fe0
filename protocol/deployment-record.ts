// A deployment record (`deployments/<chainId>.json`) read and checked, apart from the ABIs: a reader of
// the record alone (`gram balance --node`, see wallet/cli/light.ts) need not load the generated ABIs nor
// hash them. deployments.ts re-exports all of it with `deploymentAbiHash`.
import type { Address } from "viem";
import { z } from "zod";
import { addressSchema } from "./checksum.ts";
import { BaseError } from "./errors.ts";

const contract = z.object({ address: addressSchema, blockNumber: z.number().int().nonnegative() });

/** What `npm run deploy` writes to `deployments/<chainId>.json`. */
export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  deployBlock: z.number().int().nonnegative(),
  abiHash: z.string().regex(/^0x[0-9a-f]{64}$/, "expected a 32-byte hex hash"),
  contracts: z.object({ GramToken: contract, MerchantEscrow: contract }),
});

export interface Deployment {
  chainId: number;
  /** The first block to index from: the earliest of the contracts' deploy blocks. */
  deployBlock: number;
  /** keccak256 of the ABIs the contracts were deployed with. */
  abiHash: `0x${string}`;
  contracts: {
    GramToken: { address: Address; blockNumber: number };
    MerchantEscrow: { address: Address; blockNumber: number };
  };
}

/** A deployment record that is missing, unreadable or for another chain: the CLI and the node exit 1. */
export class DeploymentError extends BaseError {
  override name = "DeploymentError";
  readonly code = "DEPLOYMENT";

  constructor(shortMessage: string) {
    // The wallet and the node take the same flag and variable.
    super(shortMessage, {
      hint: "pass --deployments <dir> (or GRAM_DEPLOYMENTS_DIR) holding <chainId>.json, or check --rpc",
    });
  }
}

/** Parses and checks a deployment record; addresses come back checksummed (EIP-55). */
export function parseDeployment(json: unknown, source = "deployment"): Deployment {
  const result = deploymentSchema.safeParse(json, {
    // "deployBlock: missing" reads better than zod's "expected number, received undefined".
    error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "missing" : undefined),
  });
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new DeploymentError(`${source}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const { data } = result;
  return {
    chainId: data.chainId,
    deployBlock: data.deployBlock,
    abiHash: data.abiHash as `0x${string}`,
    contracts: data.contracts,
  };
}

/**
 * Reads `deployments/<chainId>.json`. Node only: the file system is loaded when it is called, so that a page
 * may import `parseDeployment` from here.
 *
 * @example
 * const { contracts } = await loadDeployment(31337);
 */
export async function loadDeployment(chainId: number, dir = "deployments"): Promise<Deployment> {
  const [{ readFile }, { join }] = await Promise.all([import("node:fs/promises"), import("node:path")]);
  const file = join(dir, `${chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
      throw new DeploymentError(`${file}: no deployment for chain ${chainId}; run \`npm run deploy\` first`);
    }
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DeploymentError(`${file}: not valid JSON`);
  }
  const deployment = parseDeployment(json, file);
  if (deployment.chainId !== chainId) {
    throw new DeploymentError(`${file}: records chain ${deployment.chainId}, expected ${chainId}`);
  }
  return deployment;
}
