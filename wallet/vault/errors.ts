import { WalletError } from "../errors.ts";

// The vault's own errors, in the wallet's family. A wrong password is the wallet's `WrongPasswordError`
// (WRONG_PASSWORD), shared with the keystores; an empty one is `EmptyPasswordError`. No message, detail
// or cause here ever holds a key, a phrase word or a password.

/** The session was locked (on demand or after idle): unlock again with the password. */
export class VaultLockedError extends WalletError {
  override name = "VaultLockedError";
  readonly code = "VAULT_LOCKED";
}

/** A stored record that is not a vault record this wallet reads (malformed, unknown version, bounds). */
export class VaultRecordError extends WalletError {
  override name = "VaultRecordError";
  readonly code = "VAULT_RECORD_INVALID";
}

/**
 * Some records open with the password and others do not: those were changed or written under another
 * password. Nothing is unlocked.
 */
export class VaultCorruptError extends WalletError {
  override name = "VaultCorruptError";
  readonly code = "VAULT_CORRUPT";
}

export class VaultAccountExistsError extends WalletError {
  override name = "VaultAccountExistsError";
  readonly code = "VAULT_ACCOUNT_EXISTS";
}

export class VaultAccountNotFoundError extends WalletError {
  override name = "VaultAccountNotFoundError";
  readonly code = "VAULT_ACCOUNT_NOT_FOUND";
}

/** The words the user typed back do not match the new phrase at the positions asked. */
export class PhraseNotConfirmedError extends WalletError {
  override name = "PhraseNotConfirmedError";
  readonly code = "PHRASE_NOT_CONFIRMED";
}

/** An account name that is empty or longer than 64 characters. */
export class InvalidAccountNameError extends WalletError {
  override name = "InvalidAccountNameError";
  readonly code = "INVALID_ACCOUNT_NAME";
}
