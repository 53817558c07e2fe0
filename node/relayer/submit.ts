import {
  type Address,
  BaseError,
  type Hex,
  InsufficientFundsError,
  keccak256,
  type LocalAccount,
  NonceTooLowError,
} from "viem";
import type { Log } from "../internal/logger.ts";
import { createSerial } from "../internal/serial.ts";
import type { Budget } from "./budget.ts";
import type { RelayerPublicClient, RelayerWalletClient } from "./clients.ts";
import { RelayerUnavailableError } from "./errors.ts";
import { type Fees, maxCost, readFees } from "./fees.ts";
import type { PendingTransaction, RelayRecord, RelayRecords } from "./records.ts";

export interface SubmitParameters {
  /** The idempotency record's key. */
  key: string;
  kind: RelayRecord["kind"];
  id: Hex;
  digest: Hex;
  payer: Address;
  to: Address;
  data: Hex;
  gas: bigint;
}

/** The relayer's account as the submitter and the watchdog see it. */
export interface SubmitterState {
  /** The nonce the next transaction gets; undefined until first needed (then read from the chain). */
  next: number | undefined;
  /** The chain's count of the account's mined transactions, as last read. */
  mined: number;
  /** Transactions sent and not yet seen mined, by nonce. */
  pending: Map<number, PendingTransaction>;
}

export interface Submitter {
  /**
   * Signs, records and broadcasts one relay; resolves to its hash once the node has accepted it.
   * Refuses (503) when the hourly budget would be overspent or too many transactions wait to be mined.
   */
  submit(params: SubmitParameters): Promise<Hex>;
  /** Runs `task` in the queue of the relayer's own transactions: nothing else sends meanwhile. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Refuses (503) when `maxQueue` of the relayer's transactions are waiting to be mined. */
  checkQueue(): Promise<void>;
  /** Sends signed bytes; a transaction the node already holds counts as sent. */
  broadcast(raw: Hex): Promise<void>;
  /** Signs a transaction from the relayer's key at `nonce`. */
  sign(tx: { nonce: number; to: Address; data?: Hex; gas: bigint; value?: bigint; fees: Fees }): Promise<Hex>;
  /** The next nonce: the counter, or the chain's pending count and the recorded transactions past it. */
  nextNonce(): Promise<number>;
  readonly state: SubmitterState;
}

export interface CreateSubmitterParameters {
  publicClient: RelayerPublicClient;
  walletClient: RelayerWalletClient;
  account: LocalAccount;
  chainId: number;
  records: RelayRecords;
  budget: Budget;
  maxQueue: number;
  /** Seconds a client refused for a full queue is told to wait (`Retry-After`): the watchdog's interval. */
  retryAfterSeconds: number;
  log: Log;
}

/**
 * Sends the relayer's transactions one at a time from its own key, with its own nonce counter: read
 * from the chain (pending, and past every transaction it recorded) once, then counted up locally, so
 * concurrent relays never share a nonce. Each transaction is signed locally, its record and its pending
 * entry written (fsync'd) before it is broadcast, and its worst-case cost counted against the hourly
 * budget; a broadcast the node refuses deletes both and gives the nonce back.
 *
 * @example
 * const submitter = createSubmitter({ publicClient, walletClient, account, chainId, records, budget, maxQueue: 16, retryAfterSeconds: 5, log });
 * const hash = await submitter.submit({ key, kind: "transfer", id, digest, payer, to: token, data, gas });
 */
export function createSubmitter({
  publicClient,
  walletClient,
  account,
  chainId,
  records,
  budget,
  maxQueue,
  retryAfterSeconds,
  log,
}: CreateSubmitterParameters): Submitter {
  const state: SubmitterState = { next: undefined, mined: 0, pending: new Map() };
  const serialize = createSerial();
  let loaded: Promise<void> | undefined;

  const unavailable = (what: string) => (error: unknown) => {
    throw new RelayerUnavailableError(`the relayer could not read ${what}`, { cause: error });
  };
  const count = (blockTag: "latest" | "pending") =>
    publicClient.getTransactionCount({ address: account.address, blockTag }).catch(unavailable("its account's nonce"));
  const load = () => {
    loaded ??= records.pending().then((found) => {
      for (const tx of found) state.pending.set(tx.nonce, tx);
    });
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
  const waiting = () => [...state.pending.values()].filter((tx) => tx.nonce >= state.mined);

  const submitter: Submitter = {
    state,
    run: (task) => serialize(task),
    async nextNonce() {
      await load();
      if (state.next === undefined) {
        const [mined, pending] = await Promise.all([count("latest"), count("pending")]);
        state.mined = mined;
        const recorded = Math.max(-1, ...state.pending.keys()) + 1;
        state.next = Math.max(pending, recorded);
      }
      return state.next;
    },
    async checkQueue() {
      await load();
      if (waiting().length < maxQueue) return;
      // Mined since the watchdog last looked? One read of the chain's count settles it.
      state.mined = await count("latest");
      const left = waiting().sort((a, b) => a.nonce - b.nonce);
      if (left.length < maxQueue) return;
      const oldest = left[0] as PendingTransaction;
      throw new RelayerUnavailableError(
        `${left.length} of the relayer's transactions are waiting to be mined (the oldest, nonce ${oldest.nonce}, sent ${Math.round((Date.now() - oldest.sentAt) / 1_000)} s ago); it takes new relays below ${maxQueue}`,
        { retryAfterSeconds },
      );
    },
    sign: ({ nonce, to, data, gas, value, fees }) =>
      account.signTransaction({
        chainId,
        nonce,
        to,
        gas,
        ...(data === undefined ? {} : { data }),
        ...(value === undefined ? {} : { value }),
        ...(fees.type === "eip1559"
          ? { type: "eip1559", maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
          : { type: "legacy", gasPrice: fees.gasPrice }),
      } as never),
    async broadcast(raw) {
      try {
        await walletClient.sendRawTransaction({ serializedTransaction: raw });
      } catch (error) {
        if (matches(error, undefined, /known transaction|already known|already imported/i)) return;
        throw error;
      }
    },
    async submit({ key, kind, id, digest, payer, to, data, gas }) {
      let fees: Fees;
      try {
        fees = await readFees(publicClient);
      } catch (error) {
        throw new RelayerUnavailableError("the relayer could not read the chain's gas price", { cause: error });
      }
      return serialize(async () => {
        await submitter.checkQueue();
        const release = budget.reserve(maxCost(fees, gas));
        const send = async (nonce: number) => {
          const raw = await submitter.sign({ nonce, to, data, gas, fees });
          const txHash = keccak256(raw);
          const at = Date.now();
          const record: RelayRecord = { kind, id, txHash, raw, nonce, at, digest, payer, status: "sent" };
          const pending: PendingTransaction = { nonce, txHash, raw, hashes: [txHash], key, sentAt: at };
          await records.write({ put: [[key, record]], pending: [pending] });
          try {
            await submitter.broadcast(raw);
          } catch (error) {
            await records.write({ delete: [key], settled: [nonce] });
            throw error;
          }
          state.pending.set(nonce, pending);
          return txHash;
        };
        let nonce = await submitter.nextNonce();
        try {
          let txHash: Hex;
          try {
            txHash = await send(nonce);
          } catch (error) {
            // Something else sent from this key (another relayer, an operator): count again from the chain.
            if (!matches(error, NonceTooLowError, /nonce too low/i)) throw error;
            log.warn({ id, nonce }, "the relayer's nonce was taken; reading it again from the chain");
            state.next = undefined;
            nonce = await submitter.nextNonce();
            txHash = await send(nonce);
          }
          state.next = nonce + 1;
          log.info({ id, kind, txHash, nonce }, "relayed");
          return txHash;
        } catch (error) {
          release();
          // The nonce was not used: the next relay takes it, after the chain is asked again.
          state.next = undefined;
          if (error instanceof RelayerUnavailableError) throw error;
          log.error({ err: error, id, nonce }, "the chain refused a relayed transaction");
          if (matches(error, InsufficientFundsError, /insufficient funds|enough funds/i)) {
            throw new RelayerUnavailableError("the relayer's account has too little ETH to pay the gas", {
              cause: error,
              hint: `fund ${account.address}`,
            });
          }
          throw new RelayerUnavailableError("the chain refused the relayer's transaction", { cause: error });
        }
      });
    },
  };
  return submitter;
}

/** Whether `error` or one of its causes is a `kind`, or says what `pattern` matches (a node's own words). */
export function matches(error: unknown, kind: (new (...args: never[]) => Error) | undefined, pattern: RegExp): boolean {
  if (!(error instanceof BaseError)) return error instanceof Error && pattern.test(error.message);
  return (
    error.walk(
      (e) =>
        (kind !== undefined && e instanceof kind) ||
        pattern.test((e as Error).message) ||
        pattern.test(String((e as { details?: unknown }).details ?? "")),
    ) !== null
  );
}
