import { AmountError } from "../../protocol/amounts.ts";
import { WalletError, type WalletErrorParameters } from "../errors.ts";

// Errors of the actions. They belong with the others in wallet/errors.ts; they live here until that file
// is opened to this folder.

/** The RPC serves another chain than the wallet is configured for, or a link names another chain. */
export class WrongChainError extends WalletError {
  override name = "WrongChainError";
  readonly code = "WRONG_CHAIN";
}

export class NoAccountError extends WalletError {
  override name = "NoAccountError";
  readonly code = "NO_ACCOUNT";
}

/** An amount the user typed, with the amount codec's reason (`too_many_decimals`, …). */
export class InvalidAmountError extends WalletError {
  override name = "InvalidAmountError";
  readonly code = "INVALID_AMOUNT";
  readonly reason: string;

  constructor(shortMessage: string, parameters: WalletErrorParameters & { reason: string }) {
    super(shortMessage, parameters);
    this.reason = parameters.reason;
  }
}

/** Wraps the amount codec's error, naming the field: "tip: amount '1.5.0' has more than one '.'". */
export function invalidAmount(error: unknown, what: string): never {
  if (error instanceof AmountError) {
    throw new InvalidAmountError(`${what}: ${error.shortMessage}`, {
      reason: error.reason,
      hint: error.hint,
      cause: error,
    });
  }
  throw error;
}

export class InsufficientBalanceError extends WalletError {
  override name = "InsufficientBalanceError";
  readonly code = "INSUFFICIENT_BALANCE";
}

/** The user (or the `confirm` callback) declined what it was shown: nothing was signed. */
export class RejectedError extends WalletError {
  override name = "RejectedError";
  readonly code = "REJECTED";
}

/** The contract would revert: `errorName` and `args` say why (e.g. `EscrowTipTooHigh`). */
export class TransactionRevertsError extends WalletError {
  override name = "TransactionRevertsError";
  readonly code = "TRANSACTION_REVERTS";
  readonly errorName: string | undefined;
  readonly args: readonly unknown[] | undefined;

  constructor(
    shortMessage: string,
    parameters: WalletErrorParameters & { errorName?: string | undefined; args?: readonly unknown[] | undefined },
  ) {
    super(shortMessage, parameters);
    this.errorName = parameters.errorName;
    this.args = parameters.args;
  }
}

/** The RPC failed or refused a raw transaction; not the user's doing. */
export class ChainError extends WalletError {
  override name = "ChainError";
  readonly code = "CHAIN_ERROR";
  override readonly kind = "failure";
}

export class TransactionNotFoundError extends WalletError {
  override name = "TransactionNotFoundError";
  readonly code = "TRANSACTION_NOT_FOUND";
}

/** Speed-up or cancel of a transaction that is already mined, or whose nonce was used by another. */
export class NotPendingError extends WalletError {
  override name = "NotPendingError";
  readonly code = "NOT_PENDING";
}

/** An invoice that cannot be paid or acted on as asked (wrong payer, expired, tip above the maximum, …). */
export class InvalidInvoiceError extends WalletError {
  override name = "InvalidInvoiceError";
  readonly code = "INVALID_INVOICE";
}

/**
 * The relayer refused a request: `code` is `RELAY_` and the relayer's code (`RELAY_NONCE_USED`, …).
 * Rate limits and an unavailable relayer are failures (retry later); the rest are the request's fault.
 */
export class RelayError extends WalletError {
  override name = "RelayError";
  readonly code: string;
  override readonly kind;
  readonly status: number;
  readonly relayCode: string;

  constructor(relayCode: string, status: number, shortMessage: string, parameters: WalletErrorParameters = {}) {
    super(shortMessage, parameters);
    this.relayCode = relayCode;
    this.code = `RELAY_${relayCode}`;
    this.status = status;
    this.kind = status === 429 || status >= 500 ? ("failure" as const) : ("user" as const);
  }
}

/** The node could not be reached or answered something that is not the relayer's JSON. */
export class NodeUnavailableError extends WalletError {
  override name = "NodeUnavailableError";
  readonly code = "NODE_UNAVAILABLE";
  override readonly kind = "failure";
}
