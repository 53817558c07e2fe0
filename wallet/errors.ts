import { AmountError } from "../protocol/amounts.ts";
import { BaseError, type BaseErrorParameters, type ErrorKind, statusKind } from "../protocol/errors.ts";
/**
 * The wallet's errors: one family on the base of protocol/errors.ts, subclasses with fixed names and
 * stable codes. `kind` is `user` (the CLI exits 1) unless a subclass says `failure` (exit 2).
 *
 * Messages never carry key material: no private key, mnemonic word or password is ever put into a
 * message, a detail or a cause (a mnemonic word that is not in the list is named by its position).
 */

export type WalletErrorParameters = BaseErrorParameters;
export type WalletErrorKind = ErrorKind;

/** Every error of the wallet library and its CLI. */
export abstract class WalletError extends BaseError {
  override name = "WalletError";
}

// --- keys -------------------------------------------------------------------------------------------

export class InvalidMnemonicError extends WalletError {
  override name = "InvalidMnemonicError";
  readonly code = "INVALID_MNEMONIC";
}

export class InvalidPrivateKeyError extends WalletError {
  override name = "InvalidPrivateKeyError";
  readonly code = "INVALID_PRIVATE_KEY";
}

export class InvalidAccountIndexError extends WalletError {
  override name = "InvalidAccountIndexError";
  readonly code = "INVALID_ACCOUNT_INDEX";
}

export class EmptyPasswordError extends WalletError {
  override name = "EmptyPasswordError";
  readonly code = "EMPTY_PASSWORD";
}

// --- keystore ---------------------------------------------------------------------------------------

export class KeystoreNotFoundError extends WalletError {
  override name = "KeystoreNotFoundError";
  readonly code = "KEYSTORE_NOT_FOUND";
}

export class KeystoreExistsError extends WalletError {
  override name = "KeystoreExistsError";
  readonly code = "KEYSTORE_EXISTS";
}

/** Not JSON, truncated, a field missing or malformed, or contents that contradict each other. */
export class KeystoreCorruptError extends WalletError {
  override name = "KeystoreCorruptError";
  readonly code = "KEYSTORE_CORRUPT";
}

/** A well-formed keystore that uses a version, kdf or cipher this wallet does not read. */
export class KeystoreUnsupportedError extends WalletError {
  override name = "KeystoreUnsupportedError";
  readonly code = "KEYSTORE_UNSUPPORTED";
}

/** The MAC did not match: the password is wrong, or the ciphertext or kdf parameters were changed. */
export class WrongPasswordError extends WalletError {
  override name = "WrongPasswordError";
  readonly code = "WRONG_PASSWORD";
}

export class NoMnemonicError extends WalletError {
  override name = "NoMnemonicError";
  readonly code = "NO_MNEMONIC";
}

export class KeystoreWriteError extends WalletError {
  override name = "KeystoreWriteError";
  readonly code = "KEYSTORE_WRITE_FAILED";
  override readonly kind = "failure";
}

// --- addresses and contacts -------------------------------------------------------------------------

export class InvalidAddressError extends WalletError {
  override name = "InvalidAddressError";
  readonly code = "INVALID_ADDRESS";
}

/** Mixed case that is not EIP-55: a character was most likely mistyped. */
export class AddressChecksumError extends WalletError {
  override name = "AddressChecksumError";
  readonly code = "ADDRESS_CHECKSUM";
}

export class InvalidContactNameError extends WalletError {
  override name = "InvalidContactNameError";
  readonly code = "INVALID_CONTACT_NAME";
}

export class ContactExistsError extends WalletError {
  override name = "ContactExistsError";
  readonly code = "CONTACT_EXISTS";
}

export class UnknownContactError extends WalletError {
  override name = "UnknownContactError";
  readonly code = "UNKNOWN_CONTACT";
}

export class ContactsFileError extends WalletError {
  override name = "ContactsFileError";
  readonly code = "CONTACTS_FILE_INVALID";
}

// --- actions ----------------------------------------------------------------------------------------

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
  readonly status: number;
  readonly relayCode: string;

  constructor(relayCode: string, status: number, shortMessage: string, parameters: WalletErrorParameters = {}) {
    super(shortMessage, { ...parameters, kind: statusKind(status) });
    this.relayCode = relayCode;
    this.code = `RELAY_${relayCode}`;
    this.status = status;
  }
}

/**
 * What the chain says of a relayer's answer, when it does not bear it out. Codes:
 * - `RELAY_TX_UNKNOWN`: the chain does not know the transaction the relayer named (it broadcasts before it
 *   answers, so a few seconds settle it);
 * - `RELAY_TX_NOT_YOURS`: mined, but it does not use this wallet's authorization (someone else's
 *   transaction, or an open invoice that another payer paid first);
 * - `RELAY_TX_NOT_MINED`: known, but not mined in the time waited;
 * - `REVERTED`: it reverted.
 * The message says whether the signed authorization is still unused, and until when it stays valid; the
 * hint says how to cancel it.
 */
export type RelayedPaymentErrorCode = "RELAY_TX_UNKNOWN" | "RELAY_TX_NOT_YOURS" | "RELAY_TX_NOT_MINED" | "REVERTED";

export class RelayedPaymentError extends WalletError {
  override name = "RelayedPaymentError";
  readonly code: RelayedPaymentErrorCode;
  override readonly kind = "failure";
  /** The transaction the relayer named. */
  readonly txHash: `0x${string}`;
  /** The authorization's ERC-3009 nonce (for an invoice payment, the invoice id). */
  readonly nonce: `0x${string}`;
  /** Unix seconds: until when the signed authorization can be submitted, if it is still unused. */
  readonly validBefore: bigint;
  /** What the token said: true once the authorization was used or canceled; undefined if it could not be asked. */
  readonly authorizationUsed: boolean | undefined;

  constructor(
    code: RelayedPaymentErrorCode,
    shortMessage: string,
    parameters: WalletErrorParameters & {
      txHash: `0x${string}`;
      nonce: `0x${string}`;
      validBefore: bigint;
      authorizationUsed: boolean | undefined;
    },
  ) {
    super(shortMessage, parameters);
    this.code = code;
    this.txHash = parameters.txHash;
    this.nonce = parameters.nonce;
    this.validBefore = parameters.validBefore;
    this.authorizationUsed = parameters.authorizationUsed;
  }
}

/** An ERC-3009 authorization that the token already marks as used or canceled: nothing left to cancel. */
export class AuthorizationUsedError extends WalletError {
  override name = "AuthorizationUsedError";
  readonly code = "AUTHORIZATION_USED";
}

/** What the node said when it refused a request: the HTTP status and its `{ error: { code, message } }`. */
export interface NodeAnswerParameters {
  status?: number | undefined;
  /** The node's own code (`UNAVAILABLE`, `RELAYER_UNAVAILABLE`, …), when it answered with one. */
  nodeCode?: string | undefined;
  /** The node's own message, when it answered with one. */
  nodeMessage?: string | undefined;
}

/**
 * The node could not be reached, did not answer in time, failed (HTTP 5xx), or answered something that is
 * not what its API says. A failure: try again later, or check `--node`.
 */
export class NodeUnavailableError extends WalletError {
  override name = "NodeUnavailableError";
  readonly code = "NODE_UNAVAILABLE";
  override readonly kind = "failure";
  /** The HTTP status, when the node answered. */
  readonly status: number | undefined;
  readonly nodeCode: string | undefined;
  readonly nodeMessage: string | undefined;

  constructor(shortMessage: string, parameters: WalletErrorParameters & NodeAnswerParameters = {}) {
    super(shortMessage, parameters);
    this.status = parameters.status;
    this.nodeCode = parameters.nodeCode;
    this.nodeMessage = parameters.nodeMessage;
  }
}

/**
 * The node refused a request (HTTP 4xx): `code` is `NODE_` and the node's code (`NODE_BAD_REQUEST`,
 * `NODE_NOT_FOUND`, `NODE_RATE_LIMITED`). A rate limit is a failure (try again later); the rest are the
 * request's fault.
 */
export class NodeRequestError extends WalletError {
  override name = "NodeRequestError";
  readonly code: string;
  override readonly kind;
  readonly status: number;
  readonly nodeCode: string;
  readonly nodeMessage: string;

  constructor(
    shortMessage: string,
    parameters: WalletErrorParameters & { status: number; nodeCode: string; nodeMessage: string },
  ) {
    super(shortMessage, parameters);
    this.status = parameters.status;
    this.nodeCode = parameters.nodeCode;
    this.nodeMessage = parameters.nodeMessage;
    this.code = `NODE_${parameters.nodeCode}`;
    this.kind = parameters.status === 429 ? ("failure" as const) : ("user" as const);
  }
}

export class InvoiceNotFoundError extends WalletError {
  override name = "InvoiceNotFoundError";
  readonly code = "INVOICE_NOT_FOUND";
}

/** A file under `$GRAM_HOME/invoices` that is not what this wallet writes. */
export class InvoiceFileError extends WalletError {
  override name = "InvoiceFileError";
  readonly code = "INVOICE_FILE_INVALID";
}

/** Invoice inputs that do not make an invoice: deadlines out of order, cashback above 100%, … */
export class InvoiceInputError extends WalletError {
  override name = "InvoiceInputError";
  readonly code = "INVALID_INVOICE_INPUT";
}

/** Another process held the lock for longer than we were willing to wait, and it is not stale. */
export class LockTimeoutError extends WalletError {
  override name = "LockTimeoutError";
  readonly code = "LOCK_TIMEOUT";
  override readonly kind = "failure";
}

/** `$GRAM_HOME/nonces/…` holds something other than what this wallet writes. */
export class NonceFileError extends WalletError {
  override name = "NonceFileError";
  readonly code = "NONCE_FILE_INVALID";
}

/**
 * A file the wallet was to read is not what it can be: not a regular file (a named pipe would hang the
 * read, /dev/zero would fill the memory), larger than a file of its kind, or a pipe that never ended.
 */
export class FileRefusedError extends WalletError {
  override name = "FileRefusedError";
  readonly code: "FILE_NOT_REGULAR" | "FILE_TOO_LARGE" | "FILE_TIMEOUT";

  constructor(code: FileRefusedError["code"], shortMessage: string, parameters: WalletErrorParameters = {}) {
    super(shortMessage, parameters);
    this.code = code;
  }
}
