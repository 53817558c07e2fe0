import type {
  Account,
  Address,
  Chain,
  LocalAccount,
  PublicClient,
  Transport,
  TypedDataDomain,
  WalletClient,
} from "viem";
import type { RelayResponse } from "../../protocol/relay.ts";
import type { Log } from "../indexer/context.ts";
import type { RateLimiter } from "../rate-limiter.ts";
import type { RelayRecords } from "./records.ts";
import type { Submitter } from "./submit.ts";

export type RelayerPublicClient = PublicClient<Transport, Chain | undefined>;
export type RelayerWalletClient = WalletClient<Transport, Chain | undefined, Account>;

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
  limiter: RateLimiter;
  submitter: Submitter;
  /** Relays in flight by record key: a copy arriving meanwhile waits for the first and gets its hash. */
  inFlight: Map<string, Promise<RelayResponse>>;
  log: Log;
  /** The token's EIP-712 domain (ERC-5267 `eip712Domain()`, read once). */
  tokenDomain(token: Address): Promise<TypedDataDomain>;
}
