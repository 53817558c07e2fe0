import type { ClassicLevel } from "classic-level";
import { type Address, BaseError, getAddress, type TypedDataDomain } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import type { RelayPayRequest, RelayResponse, RelayTransferRequest } from "../../protocol/relay.ts";
import { GramNodeError } from "../errors.ts";
import { type Log, silentLog } from "../internal/logger.ts";
import { createRateLimiter } from "../internal/rate-limiter.ts";
import { createKeyedSerial } from "../internal/serial.ts";
import { type BudgetStatus, createBudget } from "./budget.ts";
import type { RelayerPublicClient, RelayerWalletClient } from "./clients.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError, RelayerUnavailableError } from "./errors.ts";
import { DEFAULT_RELAYER_LIMITS, defaultMinAmount, type RelayerLimits } from "./limits.ts";
import { openRelayRecords } from "./records.ts";
import { relayPay } from "./relay-pay.ts";
import { relayTransfer } from "./relay-transfer.ts";
import { createSubmitter } from "./submit.ts";
import { createWatchdog, type WatchdogStatus } from "./watchdog.ts";

/** How long an authorization or invoice must still be valid when the relayer checks it. */
export const DEFAULT_SAFETY_MARGIN_SECONDS = 30;

export type CreateRelayerParameters = {
  publicClient: RelayerPublicClient;
  /** Holds the relayer's own key (a local account): it signs and pays for every relayed transaction. */
  walletClient: RelayerWalletClient;
  chainId: number;
  /** The tokens whose authorizations it relays. */
  tokens: readonly Address[];
  escrow: Address;
  /** What it will spend and for whom; each one not given is `DEFAULT_RELAYER_LIMITS`'. */
  limits?: Partial<RelayerLimits>;
  safetyMarginSeconds?: number;
  log?: Log;
} & (
  | { /** A folder of the relayer's own for its LevelDB. */ dataDir: string }
  | { /** The node's LevelDB: the records go in its `relayer` sublevel. */ db: ClassicLevel<string, string> }
);

export interface Relayer {
  /** The account that pays the gas. */
  readonly address: Address;
  relayTransfer(request: RelayTransferRequest): Promise<RelayResponse>;
  relayPay(request: RelayPayRequest): Promise<RelayResponse>;
  /** The limits it runs with, defaults filled in. */
  readonly limits: RelayerLimits;
  /** The watchdog's view of its transactions, and the hour's budget. */
  status(): RelayerStatus;
  /** Runs one watchdog check now (the watchdog also runs one every `limits.watchdogIntervalMs`). */
  check(): Promise<void>;
  /** Stops the watchdog, waits for what is in flight, and closes the LevelDB if the relayer opened it. */
  close(): Promise<void>;
}

/** `GET /v1/relay/status`. */
export interface RelayerStatus extends WatchdogStatus {
  address: Address;
  budget: BudgetStatus;
  limits: RelayerLimits;
}

/**
 * The gasless relayer: checks signed ERC-3009 authorizations (transfers and invoice payments) against
 * the chain without spending gas, then submits them from its own key, at most once each, within its
 * limits (amounts, gas per route, an hourly budget, rate limits, a queue depth). Its watchdog runs
 * until `close`.
 *
 * @example
 * const relayer = await createRelayer({ publicClient, walletClient, chainId, tokens: [gram], escrow,
 *   dataDir: "./data/relayer", limits: { perPayerPerMinute: 10 }, log });
 * const { txHash } = await relayer.relayTransfer(request);
 */
export async function createRelayer(params: CreateRelayerParameters): Promise<Relayer> {
  const { publicClient, walletClient, chainId, log = silentLog } = params;
  const account = walletClient.account;
  if (account.type !== "local") {
    throw new GramNodeError("the relayer needs its own key", {
      code: "RELAYER_KEY_NOT_LOCAL",
      details: `the wallet client's account ${account.address} is a ${account.type} account`,
      hint: "pass a wallet client made with privateKeyToAccount(key)",
    });
  }
  const served = await publicClient.getChainId();
  if (served !== chainId) {
    throw new GramNodeError(`the RPC endpoint serves chain ${served}, the relayer was configured for ${chainId}`, {
      code: "CHAIN_MISMATCH",
    });
  }
  const limits: RelayerLimits = { ...DEFAULT_RELAYER_LIMITS, ...params.limits };
  const tokens = params.tokens.map((token) => getAddress(token));
  const minAmounts = await readMinAmounts(publicClient, tokens, limits.minAmount);
  const records = await openRelayRecords("dataDir" in params ? { dataDir: params.dataDir } : { db: params.db });
  const domains = new Map<Address, Promise<TypedDataDomain>>();
  const budget = createBudget({ maxTransactions: limits.maxTransactionsPerHour, maxWei: limits.maxWeiPerHour });

  const ctx: RelayerContext = {
    publicClient,
    walletClient,
    account,
    chainId,
    tokens: new Set(tokens),
    escrow: getAddress(params.escrow),
    safetyMarginSeconds: params.safetyMarginSeconds ?? DEFAULT_SAFETY_MARGIN_SECONDS,
    records,
    limits,
    minAmounts,
    limiter: createRateLimiter({ perMinute: limits.perPayerPerMinute }),
    budget,
    submitter: createSubmitter({
      publicClient,
      walletClient,
      account,
      chainId,
      records,
      budget,
      maxQueue: limits.maxQueue,
      retryAfterSeconds: Math.max(1, Math.ceil(limits.watchdogIntervalMs / 1_000)),
      log,
    }),
    serial: createKeyedSerial(),
    log,
    tokenDomain(token) {
      let domain = domains.get(token);
      if (domain === undefined) {
        domain = readDomain(publicClient, token);
        domains.set(token, domain);
        domain.catch(() => domains.delete(token));
      }
      return domain;
    },
  };

  /** Anything but a refusal is the relayer's own trouble (the RPC, the disk): 503, and logged. */
  const guard =
    <T>(what: string, action: (ctx: RelayerContext, request: T) => Promise<RelayResponse>) =>
    async (request: T) => {
      try {
        return await action(ctx, request);
      } catch (error) {
        if (error instanceof RelayError) throw error;
        log.error({ err: error }, `relaying a ${what} failed`);
        throw new RelayerUnavailableError("the relayer cannot reach the chain right now", { cause: error });
      }
    };

  const watchdog = createWatchdog(ctx);
  const stop = new AbortController();
  const watching = watchdog.run(stop.signal);
  let closing: Promise<void> | undefined;

  return {
    address: account.address,
    limits,
    relayTransfer: guard("transfer", relayTransfer),
    relayPay: guard("payment", relayPay),
    status: () => ({ address: account.address, ...watchdog.status(), budget: budget.status(), limits }),
    check: () => watchdog.check(),
    close() {
      closing ??= (async () => {
        stop.abort();
        await watching;
        // Whatever a request or a check is still sending is recorded before the LevelDB closes.
        await ctx.submitter.run(async () => {});
        await records.close();
      })();
      return closing;
    },
  };
}

/**
 * The smallest amount relayed per token, in base units: the token's own setting, else the default,
 * else a thousandth of one token (its `decimals()` read once). Never below 1.
 */
async function readMinAmounts(
  client: RelayerPublicClient,
  tokens: readonly Address[],
  { default: fallback, tokens: given = {} }: RelayerLimits["minAmount"],
): Promise<Map<Address, bigint>> {
  const byToken = new Map(Object.entries(given).map(([token, amount]) => [getAddress(token), amount]));
  const entries = await Promise.all(
    tokens.map(async (token): Promise<[Address, bigint]> => {
      const amount =
        byToken.get(token) ??
        fallback ??
        defaultMinAmount(await client.readContract({ address: token, abi: gramTokenAbi, functionName: "decimals" }));
      return [token, amount < 1n ? 1n : amount];
    }),
  );
  return new Map(entries);
}

async function readDomain(client: RelayerPublicClient, token: Address): Promise<TypedDataDomain> {
  try {
    const [, name, version, chainId, verifyingContract] = await client.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "eip712Domain",
    });
    return { name, version, chainId: Number(chainId), verifyingContract };
  } catch (error) {
    if (error instanceof BaseError && error.name === "ContractFunctionExecutionError") {
      throw new RelayError("UNKNOWN_TOKEN", `token ${token} does not publish its EIP-712 domain (ERC-5267)`, {
        cause: error,
      });
    }
    throw error;
  }
}
