/**
 * The wallet's errors: one base class, subclasses with fixed names and stable codes.
 *
 * Messages never carry key material: no private key, mnemonic word or password is ever put into a
 * message, a detail or a cause (a mnemonic word that is not in the list is named by its position).
 */

export interface WalletErrorParameters {
  /** More about what happened, for a reader who wants it. */
  details?: string | undefined;
  /** What to do about it. */
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * `user`: the input or the local files are wrong; the CLI exits 1. `failure`: something outside the
 * user's hands failed (disk, chain, node); the CLI exits 2.
 */
export type WalletErrorKind = "user" | "failure";

export abstract class WalletError extends Error {
  /** Stable across releases: `--json` output and scripts match on it. */
  abstract readonly code: string;
  readonly kind: WalletErrorKind = "user";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(shortMessage: string, parameters: WalletErrorParameters = {}) {
    const message = [
      shortMessage,
      ...(parameters.details ? [`Details: ${parameters.details}`] : []),
      ...(parameters.hint ? [`Hint: ${parameters.hint}`] : []),
    ].join("\n");
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.hint = parameters.hint;
  }

  /** The error as `--json` prints it. */
  toJSON() {
    return {
      code: this.code,
      name: this.name,
      message: this.shortMessage,
      ...(this.details ? { details: this.details } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
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
