import { type Address, type Hex, TransactionNotFoundError } from "viem";
import type { RelayResponse } from "../../protocol/relay.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";
import type { RelayRecord } from "./records.ts";

export interface RelayOnceParameters {
  kind: RelayRecord["kind"];
  key: string;
  id: Hex;
  /** Whose rate limit the request counts against. */
  payer: Address;
  /** Every check that reads the chain, then the exact call to send. Spends no gas. */
  prepare(): Promise<{ to: Address; data: Hex; gas: bigint }>;
}

/**
 * Relays one authorization at most once: a recorded one answers with its transaction (`duplicate`),
 * one in flight is joined, and a new one is rate limited per payer, checked and submitted.
 *
 * @example
 * return relayOnce(ctx, { kind: "transfer", key, id, payer: from, prepare });
 */
export async function relayOnce(ctx: RelayerContext, params: RelayOnceParameters): Promise<RelayResponse> {
  const running = ctx.inFlight;
  const joined = running.get(params.key);
  if (joined !== undefined) return { ...(await joined), duplicate: true };
  const run = relay(ctx, params);
  running.set(params.key, run);
  try {
    return await run;
  } finally {
    running.delete(params.key);
  }
}

async function relay(ctx: RelayerContext, { kind, key, id, payer, prepare }: RelayOnceParameters) {
  const record = await ctx.records.get(key);
  if (record !== undefined && (await isStillSent(ctx, key, record))) {
    return { txHash: record.txHash, duplicate: true, id };
  }
  const wait = ctx.limiter.take(payer.toLowerCase());
  if (wait > 0) {
    throw new RelayError("RATE_LIMITED", `${payer} is relaying too often: try again in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  }
  const call = await prepare();
  const txHash = await ctx.submitter.submit({ key, kind, id, ...call });
  return { txHash, duplicate: false, id };
}

/**
 * Whether the recorded transaction is (or is again) known to the chain. One the node never saw — the
 * relayer stopped between recording and broadcasting, or the mempool dropped it — is broadcast again;
 * if its nonce has gone to another transaction meanwhile, the record is dropped and the authorization
 * relayed afresh (its checks then say whether it is still unused).
 */
async function isStillSent(ctx: RelayerContext, key: string, record: RelayRecord): Promise<boolean> {
  try {
    await ctx.publicClient.getTransaction({ hash: record.txHash });
    return true;
  } catch (error) {
    // Any other failure (the RPC is down): trust the record rather than risk a second transaction.
    if (!(error instanceof TransactionNotFoundError)) return true;
  }
  if (await ctx.submitter.rebroadcast(record)) return true;
  await ctx.records.delete(key);
  return false;
}
