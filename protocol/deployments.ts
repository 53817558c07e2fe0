import { keccak_256 } from "@noble/hashes/sha3";
import { bytesToHex } from "@noble/hashes/utils";
import type { Hex } from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "./abis.ts";

export {
  type Deployment,
  DeploymentError,
  deploymentSchema,
  loadDeployment,
  parseDeployment,
} from "./deployment-record.ts";

/**
 * keccak256 of the JSON of both contracts' ABIs, as `npm run deploy` records it: a reader whose ABIs
 * hash differently was built for other contracts than the ones deployed.
 */
export const deploymentAbiHash: Hex = `0x${bytesToHex(
  keccak_256(new TextEncoder().encode(JSON.stringify({ GramToken: gramTokenAbi, MerchantEscrow: merchantEscrowAbi }))),
)}`;
