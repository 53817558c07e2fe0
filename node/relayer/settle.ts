import {
  decodeFunctionData,
  type Hex,
  parseTransaction,
  TransactionNotFoundError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from "viem";
import type { RelayerContext } from "./context.ts";
import type { RelayRecord } from "./records.ts";
import { describeRevert, relayAbi } from "./simulate.ts";

/** The receipt of whichever of `hashes` the chain mined (newest first), if any. */
export async function findReceipt(
  ctx: Pick<RelayerContext, "publicClient">,
  hashes: readonly Hex[],
): Promise<TransactionReceipt | undefined> {
  for (const hash of [...hashes].reverse()) {
    try {
      return await ctx.publicClient.getTransactionReceipt({ hash });
    } catch (error) {
      if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
    }
  }
  return undefined;
}

/** Whether the node knows `hash`, mined or in its mempool. */
export async function isKnown(ctx: Pick<RelayerContext, "publicClient">, hash: Hex): Promise<boolean> {
  try {
    await ctx.publicClient.getTransaction({ hash });
    return true;
  } catch (error) {
    if (error instanceof TransactionNotFoundError) return false;
    throw error;
  }
}

/** The hashes a record's relay has been sent under, oldest first. */
export const relayHashes = (record: RelayRecord) => [...(record.replaced ?? []), record.txHash];

/**
 * Records how `record`'s relay ended, from the receipt of one of its transactions: `mined`, or
 * `reverted` with the contract's error (found by replaying the call at the block that reverted it), so
 * that a copy of the authorization is answered with the revert. Returns the record as written.
 */
export async function settleRelay(
  ctx: RelayerContext,
  key: string,
  record: RelayRecord,
  receipt: TransactionReceipt,
): Promise<RelayRecord> {
  const txHash = receipt.transactionHash;
  const replaced = relayHashes(record).filter((hash) => hash !== txHash);
  const settled: RelayRecord = {
    ...record,
    txHash,
    ...(replaced.length > 0 ? { replaced } : {}),
    status: receipt.status === "success" ? "mined" : "reverted",
  };
  if (receipt.status !== "success") {
    settled.revert = { code: "REVERTED", message: await replayRevert(ctx, record.raw, receipt) };
    ctx.log.warn({ id: record.id, txHash, revert: settled.revert.message }, "a relayed transaction reverted");
  }
  await ctx.records.put(key, settled);
  return settled;
}

async function replayRevert(ctx: RelayerContext, raw: Hex, receipt: TransactionReceipt): Promise<string> {
  const said = `the relayed transaction ${receipt.transactionHash} reverted`;
  const tx = parseTransaction(raw);
  if (tx.to == null || tx.data === undefined) return said;
  try {
    const { functionName, args } = decodeFunctionData({ abi: relayAbi, data: tx.data });
    await ctx.publicClient.simulateContract({
      address: tx.to,
      abi: relayAbi,
      functionName,
      args,
      account: ctx.account,
      blockNumber: receipt.blockNumber,
      ...(tx.gas === undefined ? {} : { gas: tx.gas }),
    } as never);
  } catch (error) {
    const reverted = describeRevert(error);
    if (reverted !== undefined) return `${said} with ${reverted.revert}`;
  }
  return `${said} in block ${receipt.blockNumber} (out of gas, or over a state that has changed since)`;
}
