// `npm run deploy -- --network <name>`: deploys GramToken and MerchantEscrow, or reuses a live deployment,
// and records it in deployments/<chainId>.json (GRAM_DEPLOYMENTS_DIR overrides the folder).
// Env: GRAM_TREASURY, GRAM_ARBITER (default: the deployer), GRAM_WITHDRAW_FEE_BPS (default 50, at most 100).
import { artifacts, network } from "hardhat";
import { deploymentsDir } from "../protocol/settings.ts";
import { DeployConfigError } from "./lib/deploy-config.ts";
import { DeployError, deployContracts } from "./lib/deploy-contracts.ts";

const connection = await network.create();
try {
  const { status, file, deployment } = await deployContracts({
    viem: connection.viem,
    artifacts,
    dir: deploymentsDir({ env: process.env }),
    env: process.env,
    log: (line) => console.log(line),
  });
  console.log(`${status === "reused" ? "contracts" : "deployed"} on chain ${deployment.chainId}:`);
  console.log(
    `  GramToken       ${deployment.contracts.GramToken.address} (block ${deployment.contracts.GramToken.blockNumber})`,
  );
  console.log(
    `  MerchantEscrow  ${deployment.contracts.MerchantEscrow.address} (block ${deployment.contracts.MerchantEscrow.blockNumber})`,
  );
  console.log(`  file            ${file}`);
} catch (error) {
  // Configuration mistakes are the user's to fix: say what was wrong, without a stack trace.
  if (!(error instanceof DeployConfigError || error instanceof DeployError)) throw error;
  console.error(`deploy: ${error.message}`);
  process.exitCode = 1;
} finally {
  await connection.close();
}
