import { setTimeout as sleep } from "node:timers/promises";
import { type Hex, keccak256, NonceTooLowError, parseTransaction } from "viem";
import type { RelayerContext } from "./context.ts";
import { bumpFees, type Fees, feesOf, maxCost, readFees } from "./fees.ts";
import type { PendingTransaction } from "./records.ts";
import { findReceipt, isKnown, settleRelay } from "./settle.ts";
import { matches } from "./submit.ts";

/** What the watchdog last saw and did: in its log records, `GET /v1/relay/status` and `/metrics`. */
export interface WatchdogStatus {
  /** The nonce the relayer's next transaction gets (null until it has needed one). */
  nextNonce: number | null;
  /** The chain's count of the relayer's mined transactions. */
  chainNonce: number | null;
  /** The relayer's transactions not yet mined, and how long the oldest has waited (seconds). */
  pending: number;
  oldestPendingSeconds: number | null;
  /** ISO time of the last check, and the error it ended with (null when it went through). */
  checkedAt: string | null;
  lastError: string | null;
  /** Since start: transactions sent again, replaced with a higher fee, and gaps closed with a self-transfer. */
  rebroadcasts: number;
  replacements: number;
  gapsClosed: number;
}

export interface Watchdog {
  /** One check of the relayer's transactions against the chain, in the queue of its transactions. */
  check(): Promise<void>;
  /** Checks every `watchdogIntervalMs` until `signal` aborts; resolves once stopped. */
  run(signal: AbortSignal): Promise<void>;
  status(): WatchdogStatus;
}

const SELF_TRANSFER_GAS = 21_000n;

/**
 * Keeps the relayer's transactions flowing. Each check compares the relayer's next nonce with the
 * chain's and walks the nonces in between:
 * - a mined one is settled: its relay record marked mined or reverted (with the revert), or forgotten
 *   when a gap filler or another sender took its nonce;
 * - one the node no longer knows (dropped from the mempool) is broadcast again;
 * - one stuck in the mempool (its max fee below the base fee, or waiting past `stuckAfterMs`) is
 *   replaced with the same call at a higher fee;
 * - a nonce the original can no longer fill (its authorization used or expired, so it would revert;
 *   or nothing recorded at all) is closed with a zero-value transfer to itself, so that later relays land.
 * Without it one dropped transaction would hold back every later one while the API answered 200.
 *
 * @example
 * const watchdog = createWatchdog(ctx);
 * const stopped = watchdog.run(controller.signal);
 */
export function createWatchdog(ctx: RelayerContext): Watchdog {
  const { publicClient, submitter, records, log, account } = ctx;
  const state = submitter.state;
  const counts = { rebroadcasts: 0, replacements: 0, gapsClosed: 0 };
  let chainNonce: number | null = null;
  let checkedAt: string | null = null;
  let lastError: string | null = null;
  /** Mined nonces none of whose transactions had a receipt at the last check. */
  const unexplained = new Set<number>();

  /** Settles a mined nonce; false when it waits for the next check. */
  async function settle(tx: PendingTransaction): Promise<boolean> {
    const fillers = tx.fillers ?? [];
    const receipt = await findReceipt(ctx, [...tx.hashes, ...fillers]);
    // A node behind a load balancer may count a nonce mined before it serves the receipt: another
    // sender is concluded only when the receipt is still missing at the next check.
    if (receipt === undefined && !unexplained.has(tx.nonce)) {
      unexplained.add(tx.nonce);
      return false;
    }
    unexplained.delete(tx.nonce);
    const record = tx.key === undefined ? undefined : await records.get(tx.key);
    if (record !== undefined && tx.key !== undefined) {
      if (receipt !== undefined && tx.hashes.includes(receipt.transactionHash)) {
        await settleRelay(ctx, tx.key, record, receipt);
      } else {
        // A gap filler or another sender used the nonce: the authorization was never relayed, so a copy
        // of it is relayed afresh (and refused if it has since expired or been used).
        log.warn(
          { id: record.id, nonce: tx.nonce, by: receipt?.transactionHash ?? null },
          "a relay's nonce went to another transaction",
        );
        await records.write({ delete: [tx.key] });
      }
    }
    await records.write({ settled: [tx.nonce] });
    state.pending.delete(tx.nonce);
    return true;
  }

  /**
   * Signs, at `nonce`, the relay of `tx` again or (`fill`) a zero-value transfer to itself, with fees
   * above `tx`'s; records it, then broadcasts it.
   */
  async function resend(nonce: number, tx: PendingTransaction | undefined, fill: boolean, now: Fees) {
    const old = tx === undefined ? undefined : parseTransaction(tx.raw);
    const oldFees = old === undefined ? undefined : feesOf(old);
    const fees = oldFees === undefined ? now : bumpFees(oldFees, now);
    const gas = fill || old?.gas === undefined ? SELF_TRANSFER_GAS : old.gas;
    const raw = fill
      ? await submitter.sign({ nonce, to: account.address, value: 0n, gas, fees })
      : await submitter.sign({ nonce, to: old?.to as Hex, data: old?.data as Hex, gas, fees });
    const txHash = keccak256(raw);
    const oldCost = oldFees === undefined || old?.gas === undefined ? 0n : maxCost(oldFees, old.gas);
    ctx.budget.charge(maxCost(fees, gas) - oldCost);
    const base: PendingTransaction = tx ?? { nonce, txHash, raw, hashes: [], sentAt: 0 };
    const next: PendingTransaction = fill
      ? { ...base, txHash, raw, fillers: [...(base.fillers ?? []), txHash], sentAt: Date.now() }
      : { ...base, txHash, raw, hashes: [...base.hashes, txHash], sentAt: Date.now() };
    const key = tx?.key;
    const record = !fill && key !== undefined ? await records.get(key) : undefined;
    await records.write({
      pending: [next],
      put:
        record === undefined || key === undefined
          ? []
          : [[key, { ...record, txHash, raw, replaced: [...(record.replaced ?? []), record.txHash] }]],
    });
    state.pending.set(nonce, next);
    if (fill) counts.gapsClosed++;
    else counts.replacements++;
    const maxFee = fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
    log.warn(
      { nonce, txHash, replaces: tx?.txHash ?? null, id: record?.id ?? null, maxFeePerGas: String(maxFee) },
      fill ? "closing a nonce gap with a zero-value transfer to itself" : "replacing a stuck relay with a higher fee",
    );
    try {
      await submitter.broadcast(raw);
    } catch (error) {
      // Mined meanwhile (settled next time), or refused: the next check sees it missing and tries again.
      log.warn({ err: error, nonce, txHash }, "the replacement was not accepted");
    }
  }

  /** Whether the relay carried at `tx` would still go through if sent now (false: its authorization is spent). */
  async function stillGoesThrough(tx: PendingTransaction): Promise<boolean> {
    if (tx.key === undefined || (tx.fillers?.length ?? 0) > 0) return false;
    const sent = parseTransaction(tx.raw);
    try {
      await publicClient.call({ account, to: sent.to ?? undefined, data: sent.data, gas: sent.gas });
      return true;
    } catch (error) {
      log.warn({ err: error, nonce: tx.nonce, txHash: tx.txHash }, "a stuck relay would now revert");
      return false;
    }
  }

  async function check() {
    const [mined, pendingCount] = await Promise.all([
      publicClient.getTransactionCount({ address: account.address, blockTag: "latest" }),
      publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }),
    ]);
    await submitter.nextNonce();
    chainNonce = mined;
    state.mined = mined;
    for (const tx of [...state.pending.values()].sort((a, b) => a.nonce - b.nonce)) {
      if (tx.nonce < mined) await settle(tx);
    }
    if (state.next === undefined) return;
    if (state.next < mined) {
      log.warn(
        { next: state.next, chain: mined },
        "another sender used the relayer's key; counting from the chain's nonce",
      );
      state.next = mined;
    }
    if (state.next === mined) return;
    const [block, fees] = await Promise.all([publicClient.getBlock({ blockTag: "latest" }), readFees(publicClient)]);
    const baseFee = block.baseFeePerGas ?? 0n;
    const stuckAfterMs = ctx.limits.stuckAfterMs;
    for (let nonce = mined; nonce < state.next; nonce++) {
      const tx = state.pending.get(nonce);
      if (tx === undefined) {
        // A nonce the counter passed with nothing recorded at it: only a filler can close it, unless the
        // node already holds a transaction there (another sender using the key).
        if (nonce >= pendingCount) await resend(nonce, undefined, true, fees);
        continue;
      }
      const sent = parseTransaction(tx.raw);
      const underpriced = (sent.maxFeePerGas ?? sent.gasPrice ?? 0n) < baseFee;
      const waited = Date.now() - tx.sentAt >= stuckAfterMs;
      // The node's pending count stops below a nonce it cannot mine next (missing, or priced out).
      if (nonce < pendingCount && !underpriced && !waited) continue;
      if (await isKnown(ctx, tx.txHash)) {
        // Waiting behind a lower nonce (which this loop has just seen to), or stuck: replaced.
        if (underpriced || waited) await resend(nonce, tx, !(await stillGoesThrough(tx)), fees);
        continue;
      }
      if (!(await stillGoesThrough(tx))) {
        await resend(nonce, tx, true, fees);
        continue;
      }
      if (!underpriced) {
        try {
          await submitter.broadcast(tx.raw);
          counts.rebroadcasts++;
          const again = { ...tx, sentAt: Date.now() };
          await records.write({ pending: [again] });
          state.pending.set(nonce, again);
          log.warn({ nonce, txHash: tx.txHash }, "a relayer transaction vanished from the mempool; sent it again");
          continue;
        } catch (error) {
          if (matches(error, NonceTooLowError, /nonce too low/i)) continue; // mined meanwhile: settled next time
          log.warn({ err: error, nonce, txHash: tx.txHash }, "a vanished relayer transaction could not be sent again");
        }
      }
      await resend(nonce, tx, false, fees);
    }
  }

  const status = (): WatchdogStatus => {
    const pending = [...state.pending.values()].filter((tx) => chainNonce === null || tx.nonce >= chainNonce);
    const oldest = Math.min(...pending.map((tx) => tx.sentAt));
    return {
      nextNonce: state.next ?? null,
      chainNonce,
      pending: pending.length,
      oldestPendingSeconds: pending.length === 0 ? null : Math.round((Date.now() - oldest) / 1_000),
      checkedAt,
      lastError,
      ...counts,
    };
  };

  const watchdog: Watchdog = {
    check: () =>
      submitter.run(async () => {
        try {
          await check();
          lastError = null;
        } catch (error) {
          lastError = error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
          throw error;
        } finally {
          checkedAt = new Date().toISOString();
        }
        log.debug({ ...status() }, "watchdog");
      }),
    async run(signal) {
      while (!signal.aborted) {
        try {
          await watchdog.check();
        } catch (error) {
          log.warn({ err: error }, "the relayer's watchdog could not check its transactions");
        }
        try {
          await sleep(ctx.limits.watchdogIntervalMs, undefined, { signal });
        } catch {
          // Aborted: the loop ends.
        }
      }
    },
    status,
  };
  return watchdog;
}
