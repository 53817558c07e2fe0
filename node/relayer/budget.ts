import { formatEther } from "viem";
import { RelayerUnavailableError } from "./errors.ts";

export interface BudgetParameters {
  /** Relayed transactions allowed in any hour. */
  maxTransactions: number;
  /** Wei the relayer may commit to gas in any hour. */
  maxWei: bigint;
  windowMs?: number;
  now?: () => number;
}

export interface BudgetStatus {
  transactions: number;
  maxTransactions: number;
  wei: bigint;
  maxWei: bigint;
}

export interface Budget {
  /** Refuses (503) when the hour's transactions or wei are already spent: before any work on a request. */
  check(): void;
  /**
   * Counts one relayed transaction of at most `wei`, or refuses (503) if it would go over either limit.
   * Returns what gives it back, for a transaction the chain then refused.
   */
  reserve(wei: bigint): () => void;
  /** Counts `wei` more that the relayer chose to spend (a fee bump, a gap filler): never refused. */
  charge(wei: bigint): void;
  status(): BudgetStatus;
}

const HOUR_MS = 3_600_000;

/**
 * The relayer's gas budget over a sliding hour: how many transactions it relays and how much ETH it
 * commits to them, each counted at the most it can cost (gas limit × max fee). It lives in memory: a
 * restart starts a new hour.
 *
 * @example
 * const budget = createBudget({ maxTransactions: 1_000, maxWei: parseEther("0.1") });
 * budget.reserve(gas * maxFeePerGas);
 */
export function createBudget({
  maxTransactions,
  maxWei,
  windowMs = HOUR_MS,
  now = Date.now,
}: BudgetParameters): Budget {
  const spent: { at: number; wei: bigint; transaction: boolean }[] = [];
  const totals = () => {
    const since = now() - windowMs;
    while (spent.length > 0 && (spent[0] as { at: number }).at <= since) spent.shift();
    let wei = 0n;
    let transactions = 0;
    for (const entry of spent) {
      wei += entry.wei;
      if (entry.transaction) transactions++;
    }
    return { wei, transactions };
  };
  const refuse = (why: string) => {
    const oldest = spent[0]?.at ?? now();
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now()) / 1_000));
    return new RelayerUnavailableError(
      `the relayer's hourly budget is spent: ${why}; try again in ${retryAfterSeconds} s`,
      {
        retryAfterSeconds,
      },
    );
  };
  const eth = (wei: bigint) => `${formatEther(wei)} ETH`;
  return {
    check() {
      const { wei, transactions } = totals();
      if (transactions >= maxTransactions) throw refuse(`${transactions} of ${maxTransactions} transactions`);
      if (wei >= maxWei) throw refuse(`${eth(wei)} of ${eth(maxWei)} committed to gas`);
    },
    reserve(cost) {
      const { wei, transactions } = totals();
      if (transactions + 1 > maxTransactions) throw refuse(`${transactions} of ${maxTransactions} transactions`);
      if (wei + cost > maxWei) {
        throw refuse(`${eth(wei)} of ${eth(maxWei)} committed to gas, and this transaction may cost ${eth(cost)}`);
      }
      const entry = { at: now(), wei: cost, transaction: true };
      spent.push(entry);
      return () => {
        const index = spent.indexOf(entry);
        if (index >= 0) spent.splice(index, 1);
      };
    },
    charge(cost) {
      if (cost > 0n) spent.push({ at: now(), wei: cost, transaction: false });
    },
    status() {
      const { wei, transactions } = totals();
      return { transactions, maxTransactions, wei, maxWei };
    },
  };
}
