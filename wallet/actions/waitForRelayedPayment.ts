import {
  type Hash,
  isAddressEqual,
  parseEventLogs,
  type TransactionReceipt,
  WaitForTransactionReceiptTimeoutError,
} from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import type { RelayPayRequestJson, RelayTransferRequestJson } from "../../protocol/relay.ts";
import { ChainError } from "../errors.ts";
import type { GramClient } from "./client.ts";
import { authorizationOf, lookUpRelayed, relayedPaymentError } from "./internal/relayed.ts";

export interface WaitForRelayedPaymentParameters {
  /** The transaction the relayer answered with (`relayTransfer`, `relayPay`). */
  txHash: Hash;
  /** What was signed and handed to the relayer. */
  request: RelayTransferRequestJson | RelayPayRequestJson;
  /** How long the chain may not know the transaction: the relayer broadcasts it before it answers. @default 10_000 */
  lookupMs?: number | undefined;
  /** How long to wait for it to be mined once the chain knows it. @default 120_000 */
  timeoutMs?: number | undefined;
  /** @default 200 */
  pollingIntervalMs?: number | undefined;
}

/** The receipt of the transaction that used this wallet's authorization. */
export type WaitForRelayedPaymentReturnType = TransactionReceipt;

/**
 * Waits for a relayed payment and says it is paid only when the chain says so of this wallet's own
 * authorization: the receipt must hold the token's `AuthorizationUsed` with the signer and the nonce and,
 * for an invoice, the escrow's `InvoicePaid` of that invoice with the signer as payer. A relayer can
 * answer with any hash (a lying or broken one; or, for an open invoice, the transaction of another payer
 * who paid first): a `RelayedPaymentError` then says what happened (`RELAY_TX_UNKNOWN` within seconds,
 * `RELAY_TX_NOT_YOURS`, `RELAY_TX_NOT_MINED`, `REVERTED`), whether the authorization is still unused and
 * until when it stays valid, and how to cancel it.
 *
 * @example
 * const { request } = await signGaslessTransfer(client, { to: "@bob", amount: "5" });
 * const { txHash } = await relayTransfer(node, { request });
 * const receipt = await waitForRelayedPayment(client, { txHash, request });
 */
export async function waitForRelayedPayment(
  client: GramClient,
  { txHash, request, lookupMs, timeoutMs = 120_000, pollingIntervalMs = 200 }: WaitForRelayedPaymentParameters,
): Promise<WaitForRelayedPaymentReturnType> {
  const authorization = authorizationOf(request);
  const fail = (code: Parameters<typeof relayedPaymentError>[1]["code"], what: string) =>
    relayedPaymentError(client, { code, what, txHash, authorization });
  await lookUpRelayed(client, { txHash, authorization, lookupMs, pollingIntervalMs });

  let receipt: TransactionReceipt;
  try {
    // Follows a replacement of the relayer's transaction (same nonce, higher fee) to its receipt.
    receipt = await client.publicClient.waitForTransactionReceipt({
      hash: txHash,
      pollingInterval: pollingIntervalMs,
      timeout: timeoutMs,
    });
  } catch (error) {
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      throw await fail(
        "RELAY_TX_NOT_MINED",
        `the relayer's transaction ${txHash} was not mined in ${timeoutMs / 1000} s`,
      );
    }
    throw new ChainError(`could not wait for the relayer's transaction ${txHash}`, {
      details: (error as { shortMessage?: string }).shortMessage ?? String(error),
      cause: error,
    });
  }
  const mined = receipt.transactionHash;
  if (receipt.status !== "success") {
    throw await fail("REVERTED", `the relayer's transaction ${mined} reverted in block ${receipt.blockNumber}`);
  }

  const { token, authorizer, nonce, invoice } = authorization;
  const used = parseEventLogs({ abi: gramTokenAbi, eventName: "AuthorizationUsed", logs: receipt.logs }).some(
    (log) =>
      isAddressEqual(log.address, token) &&
      isAddressEqual(log.args.authorizer, authorizer) &&
      log.args.nonce.toLowerCase() === nonce.toLowerCase(),
  );
  if (invoice === undefined) {
    if (used) return receipt;
    throw await fail(
      "RELAY_TX_NOT_YOURS",
      `the relayer answered with transaction ${mined}, which does not use your authorization`,
    );
  }
  const paid = parseEventLogs({ abi: merchantEscrowAbi, eventName: "InvoicePaid", logs: receipt.logs }).filter(
    (log) => isAddressEqual(log.address, invoice.escrow) && log.args.id.toLowerCase() === invoice.id.toLowerCase(),
  );
  if (used && paid.some((log) => isAddressEqual(log.args.payer, authorizer))) return receipt;
  const other = paid[0];
  throw await fail(
    "RELAY_TX_NOT_YOURS",
    other === undefined
      ? `the relayer answered with transaction ${mined}, which does not pay invoice ${invoice.id} with your authorization`
      : `invoice ${invoice.id} was paid by ${other.args.payer} in ${mined}`,
  );
}
