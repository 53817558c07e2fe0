import { type Address, type Hex, keccak256, NonceTooLowError, stringToHex } from "viem";
import type { RelayResponse } from "../../protocol/relay.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";
import type { RelayRecord } from "./records.ts";
import { findReceipt, isKnown, relayHashes, settleRelay } from "./settle.ts";
import { matches } from "./submit.ts";
import type { SignerKind } from "./verify-signature.ts";

export interface RelayOnceParameters {
  kind: RelayRecord["kind"];
  key: string;
  id: Hex;
  /** Who authorized it: whose rate limit it counts against, once `verify` has passed. */
  payer: Address;
  /** The request as parsed: a copy is the same authorization only when it is the same in every field. */
  request: object;
  /** The refusal for another authorization under a key already relayed (`record`). */
  taken(record: RelayRecord): RelayError;
  /** Checks the payer's signature: local for a key, one capped call for a contract. */
  verify(): Promise<SignerKind>;
  /** Every other check that reads the chain, then the exact call to send. Spends no gas. */
  prepare(payer: SignerKind): Promise<{ to: Address; data: Hex; gas: bigint }>;
}

/** keccak256 of a parsed request, bigints as decimal strings, keys in the schema's order. */
export const requestDigest = (request: object): Hex =>
  keccak256(stringToHex(JSON.stringify(request, (_key, value) => (typeof value === "bigint" ? String(value) : value))));

/**
 * Relays one authorization at most once. A copy of a recorded one (same payer, same signature, every
 * field the same) gets the same answer, or the revert if its transaction reverted; another
 * authorization under a key already relayed (another payer of a paid invoice) is refused with
 * `taken`. A new one is checked — the budget and the queue, the signature, then the payer's rate
 * limit (so that requests nobody signed cannot lock a payer out), then the chain — and submitted.
 * Requests under one key run one at a time.
 *
 * @example
 * return relayOnce(ctx, { kind: "transfer", key, id, payer: from, request, taken, verify, prepare });
 */
export function relayOnce(ctx: RelayerContext, params: RelayOnceParameters): Promise<RelayResponse> {
  return ctx.serial(params.key, () => relay(ctx, params));
}

async function relay(ctx: RelayerContext, params: RelayOnceParameters): Promise<RelayResponse> {
  const { kind, key, id, payer } = params;
  const digest = requestDigest(params.request);
  const recorded = await ctx.records.get(key);
  const record = recorded === undefined ? undefined : await followUp(ctx, key, recorded);
  if (record !== undefined) {
    const same = record.digest === undefined || record.digest === digest;
    if (same && record.status === "reverted") {
      throw new RelayError("REVERTED", record.revert?.message ?? `the relayed transaction ${record.txHash} reverted`, {
        hint: "sign a new authorization",
      });
    }
    if (same) return { txHash: record.txHash, duplicate: true, id };
    // Another authorization may take a key whose relay reverted; never one whose relay stands.
    if (record.status !== "reverted") throw params.taken(record);
  }

  ctx.budget.check();
  await ctx.submitter.checkQueue();
  const signer = await params.verify();
  const wait = ctx.limiter.take(payer.toLowerCase());
  if (wait > 0) {
    throw new RelayError("RATE_LIMITED", `${payer} is relaying too often: try again in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  }
  const call = await params.prepare(signer);
  const txHash = await ctx.submitter.submit({ key, kind, id, digest, payer, ...call });
  return { txHash, duplicate: false, id };
}

/**
 * Brings a record still `sent` up to date with the chain: settled if one of its transactions was mined;
 * broadcast again if the node has never seen it (the relayer stopped between recording and broadcasting,
 * or the mempool dropped it); forgotten (undefined) if its nonce has gone to another transaction, so the
 * authorization is relayed afresh (its checks then say whether it is still unused). When the chain
 * cannot be asked, the record is trusted rather than risk a second transaction.
 */
async function followUp(ctx: RelayerContext, key: string, record: RelayRecord): Promise<RelayRecord | undefined> {
  if (record.status !== undefined && record.status !== "sent") return record;
  return ctx.submitter.run(async () => {
    const current = (await ctx.records.get(key)) ?? record;
    try {
      const receipt = await findReceipt(ctx, relayHashes(current));
      if (receipt !== undefined) return await settleRelay(ctx, key, current, receipt);
      if (await isKnown(ctx, current.txHash)) return current;
    } catch (error) {
      ctx.log.warn({ err: error, id: current.id }, "could not look up a recorded relay; trusting the record");
      return current;
    }
    try {
      await ctx.submitter.broadcast(current.raw);
      ctx.log.warn(
        { id: current.id, txHash: current.txHash },
        "a recorded relay the chain did not know was sent again",
      );
      return current;
    } catch (error) {
      if (!matches(error, NonceTooLowError, /nonce too low/i)) {
        // Underpriced now, or refused for a while: the watchdog replaces it; the record stands.
        ctx.log.warn({ err: error, id: current.id }, "a recorded relay could not be sent again");
        return current;
      }
    }
    ctx.log.warn({ id: current.id, nonce: current.nonce }, "a recorded relay's nonce went to another transaction");
    const pending = ctx.submitter.state.pending.get(current.nonce);
    const ours = pending?.key === key;
    await ctx.records.write({ delete: [key], settled: ours ? [current.nonce] : [] });
    if (ours) ctx.submitter.state.pending.delete(current.nonce);
    return undefined;
  });
}
