import { type Address, type Hash, type Hex, isAddressEqual, parseTransaction } from "viem";
import { ChainError, RejectedError } from "../../errors.ts";
import { withStoredNonce } from "../../nonce/withStoredNonce.ts";
import { describeTransaction, type TransactionFields } from "../../summary/describeTransaction.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { type GramClient, requireAccount } from "../client.ts";
import { estimateFees, type Fees } from "./fees.ts";
import { revertOrChainError } from "./revert.ts";

/** Called with what is about to be signed; resolve false to refuse. The CLI prompts here (or takes --yes). */
export type Confirm = (summary: TransactionSummary) => boolean | Promise<boolean>;

export interface SubmitOptions {
  confirm?: Confirm | undefined;
  /** Fees to use instead of the estimate (replacements bump the old ones). */
  fees?: Fees | undefined;
  gas?: bigint | undefined;
  /** A replacement's nonce; otherwise the nonce manager allocates the next one. */
  nonce?: number | undefined;
  /** Named in errors: "capture would revert: …". */
  what: string;
}

/** What every action that sends a transaction returns. */
export interface SentTransaction {
  hash: Hash;
  nonce: number;
  /** Exactly what was shown before signing. */
  summary: TransactionSummary;
}

/**
 * Estimates, describes, asks, signs and sends one transaction: the one path every sending action takes,
 * so that nothing is signed without its summary having been shown and confirmed.
 */
export async function submitTransaction(
  client: GramClient,
  request: { to: Address; data: Hex; value?: bigint | undefined },
  options: SubmitOptions,
): Promise<SentTransaction> {
  const account = requireAccount(client);
  const value = request.value ?? 0n;
  let gas = options.gas;
  if (gas === undefined) {
    try {
      const estimate = await client.publicClient.estimateGas({
        account: account.address,
        to: request.to,
        data: request.data,
        value,
      });
      // Headroom for state that changes between estimate and inclusion; unused gas is not paid for.
      gas = (estimate * 12n) / 10n;
    } catch (error) {
      throw revertOrChainError(error, options.what);
    }
  }
  const fees = options.fees ?? (await estimateFees(client));
  const fields: TransactionFields = {
    chainId: client.chainId,
    to: request.to,
    data: request.data,
    value,
    gas,
    ...fees,
  };
  const summary = await describeTransaction(client, {
    transaction: fields,
    from: account.address,
    replacesNonce: options.nonce,
  });
  if (options.confirm && !(await options.confirm(summary))) {
    throw new RejectedError(`${options.what}: declined; nothing was signed`);
  }

  const send = async (nonce: number) => {
    const serialized = await account.signTransaction({ type: "eip1559", ...fields, nonce });
    assertSigned(serialized, fields, nonce);
    try {
      return await client.publicClient.sendRawTransaction({ serializedTransaction: serialized });
    } catch (error) {
      throw new ChainError(`${options.what}: the RPC refused the transaction`, {
        details: (error as { shortMessage?: string }).shortMessage ?? String(error),
        cause: error,
      });
    }
  };
  if (options.nonce !== undefined) return { hash: await send(options.nonce), nonce: options.nonce, summary };
  const { nonce, result: hash } = await withStoredNonce(
    {
      store: client.stores.nonces,
      chainId: client.chainId,
      address: account.address,
      pendingNonce: () => client.publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }),
    },
    send,
  );
  return { hash, nonce, summary };
}

/** The signed bytes say what was shown: a last check between describing and sending. */
function assertSigned(serialized: Hex, fields: TransactionFields, nonce: number) {
  const tx = parseTransaction(serialized);
  const same =
    tx.chainId === fields.chainId &&
    tx.to != null &&
    isAddressEqual(tx.to, fields.to) &&
    (tx.data ?? "0x") === fields.data &&
    (tx.value ?? 0n) === fields.value &&
    tx.gas === fields.gas &&
    tx.maxFeePerGas === fields.maxFeePerGas &&
    tx.maxPriorityFeePerGas === fields.maxPriorityFeePerGas &&
    tx.nonce === nonce;
  if (!same) throw new Error("internal error: the signed transaction differs from the one described");
}
