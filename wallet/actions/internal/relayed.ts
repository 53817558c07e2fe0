// What the wallet checks of a relayer's answer before it says anything is paid: the relayer broadcasts
// before it answers, so the chain must know its transaction within seconds, and that transaction must
// use this wallet's own authorization. When it does not, the error says whether the signed authorization
// is still unused, until when it stays valid, and how to cancel it.
import { type Address, getAddress, type Hash, type Hex, TransactionNotFoundError } from "viem";
import { gramTokenAbi } from "../../../protocol/abis.ts";
import { invoiceId } from "../../../protocol/invoice.ts";
import {
  type RelayPayRequestJson,
  type RelayTransferRequestJson,
  relayPayRequestSchema,
  relayTransferRequestSchema,
} from "../../../protocol/relay.ts";
import { ChainError, RelayedPaymentError, type RelayedPaymentErrorCode } from "../../errors.ts";
import type { GramClient } from "../client.ts";

/** The ERC-3009 authorization a relay request carries. */
export interface RelayedAuthorization {
  token: Address;
  authorizer: Address;
  nonce: Hex;
  /** Unix seconds. */
  validBefore: bigint;
  /** For an invoice payment: the escrow that must log it paid, and the invoice id (also the nonce). */
  invoice: { escrow: Address; id: Hex } | undefined;
}

/** The authorization inside a signed relay request (`signGaslessTransfer`, `signPayWithAuthorization`). */
export function authorizationOf(request: RelayTransferRequestJson | RelayPayRequestJson): RelayedAuthorization {
  if ("invoice" in request) {
    const pay = relayPayRequestSchema.parse(request);
    const id = invoiceId({ chainId: pay.chainId, escrow: pay.escrow, invoice: pay.invoice });
    return {
      token: pay.invoice.token,
      authorizer: pay.payer,
      nonce: id,
      validBefore: pay.validBefore,
      invoice: { escrow: pay.escrow, id },
    };
  }
  const transfer = relayTransferRequestSchema.parse(request);
  return {
    token: transfer.token,
    authorizer: transfer.from,
    nonce: transfer.nonce,
    validBefore: transfer.validBefore,
    invoice: undefined,
  };
}

export interface LookUpRelayedParameters {
  txHash: Hash;
  authorization: RelayedAuthorization;
  /** How long the chain may not know the transaction. @default 10_000 */
  lookupMs?: number | undefined;
  /** @default 250 */
  pollingIntervalMs?: number | undefined;
}

/**
 * Asks the chain for the relayer's transaction (pending or mined) until it is found or `lookupMs` have
 * passed; then `RELAY_TX_UNKNOWN`. An RPC that cannot be asked is a ChainError, never "unknown".
 */
export async function lookUpRelayed(
  client: GramClient,
  { txHash, authorization, lookupMs = 10_000, pollingIntervalMs = 250 }: LookUpRelayedParameters,
): Promise<void> {
  const deadline = Date.now() + lookupMs;
  for (;;) {
    let failure: unknown;
    try {
      await client.publicClient.getTransaction({ hash: txHash });
      return;
    } catch (error) {
      if (!(error instanceof TransactionNotFoundError)) failure = error;
    }
    if (Date.now() >= deadline) {
      if (failure !== undefined) {
        throw new ChainError(`could not ask the chain for the relayer's transaction ${txHash}`, {
          details: (failure as { shortMessage?: string }).shortMessage ?? String(failure),
          cause: failure,
        });
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs));
  }
  throw await relayedPaymentError(client, {
    code: "RELAY_TX_UNKNOWN",
    what: `the relayer answered with transaction ${txHash}, which the chain does not know after ${lookupMs / 1000} s`,
    txHash,
    authorization,
  });
}

/**
 * The error for a relayer's answer that the chain does not bear out, after asking the token whether the
 * authorization is still unused: then it says until when it stays valid and how to cancel it.
 */
export async function relayedPaymentError(
  client: GramClient,
  {
    code,
    what,
    txHash,
    authorization,
  }: { code: RelayedPaymentErrorCode; what: string; txHash: Hash; authorization: RelayedAuthorization },
): Promise<RelayedPaymentError> {
  const { token, authorizer, nonce, validBefore } = authorization;
  let used: boolean | undefined;
  try {
    used = await client.publicClient.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "authorizationState",
      args: [authorizer, nonce],
    });
  } catch {
    used = undefined;
  }
  const until = validUntil(validBefore);
  const cancel = `gram authorization cancel ${nonce}${
    getAddress(token) === client.contracts.token ? "" : ` --token ${getAddress(token)}`
  }`;
  const unusedHint = `cancel it with \`${cancel}\` (a transaction from your account: it needs ETH for gas), or let it expire`;
  const [state, hint] =
    used === true
      ? [
          "the token marks your authorization as used or canceled, so it cannot be submitted again",
          "`gram history` shows whether a transaction of yours used it",
        ]
      : used === false
        ? [`your authorization was not used; it stays valid until ${until}`, unusedHint]
        : [`if your authorization is still unused, it stays valid until ${until}`, unusedHint];
  return new RelayedPaymentError(code, `${what}; ${state}`, {
    details: `authorizer ${authorizer}, nonce ${nonce}, token ${getAddress(token)}, validBefore ${validBefore} (${until})`,
    hint,
    txHash,
    nonce,
    validBefore,
    authorizationUsed: used,
  });
}

/** validBefore as an ISO time without milliseconds (or the number itself, past what a date can hold). */
function validUntil(validBefore: bigint): string {
  if (validBefore > 8_640_000_000_000n) return `${validBefore} (Unix seconds)`;
  return new Date(Number(validBefore) * 1000).toISOString().replace(".000Z", "Z");
}
