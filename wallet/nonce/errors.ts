import { WalletError } from "../errors.ts";

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
