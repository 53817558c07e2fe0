import type { Address, LocalAccount, TypedDataDomain } from "viem";
import type { Log } from "../internal/logger.ts";
import type { RateLimiter } from "../internal/rate-limiter.ts";
import type { createKeyedSerial } from "../internal/serial.ts";
import type { Budget } from "./budget.ts";
import type { RelayerPublicClient, RelayerWalletClient } from "./clients.ts";
import type { RelayerLimits } from "./limits.ts";
import type { RelayRecords } from "./records.ts";
import type { Submitter } from "./submit.ts";

/** What each relay action needs; built once by `createRelayer`. */
export interface RelayerContext {
  publicClient: RelayerPublicClient;
  walletClient: RelayerWalletClient;
  account: LocalAccount;
  chainId: number;
  /** Checksummed addresses of the tokens the relayer pays gas for. */
  tokens: ReadonlySet<Address>;
  escrow: Address;
  /** An authorization or invoice must stay valid at least this long after it is checked. */
  safetyMarginSeconds: number;
  records: RelayRecords;
  limits: RelayerLimits;
  /** The smallest amount relayed per token, in base units (at least 1). */
  minAmounts: ReadonlyMap<Address, bigint>;
  /** Per payer, counted once the payer's signature verifies. */
  limiter: RateLimiter;
  budget: Budget;
  submitter: Submitter;
  /** One request per record key at a time: a copy arriving meanwhile waits and then finds the record. */
  serial: ReturnType<typeof createKeyedSerial>;
  log: Log;
  /** The token's EIP-712 domain (ERC-5267 `eip712Domain()`, read once). */
  tokenDomain(token: Address): Promise<TypedDataDomain>;
}
