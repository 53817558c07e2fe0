import type { Address } from "viem";
import { fileNonceStore } from "./fileNonceStore.ts";
import { withStoredNonce } from "./withStoredNonce.ts";

export { nonceFile, readStoredNonce } from "./fileNonceStore.ts";
export { MAX_NONCE_AHEAD, NONCE_CLOCK_SKEW_MS, type StoredNonce } from "./nonce-store.ts";

export interface WithNonceParameters {
  home: string;
  chainId: number;
  address: Address;
  /** The chain's count of the account's transactions including pending ones (`eth_getTransactionCount`, "pending"). */
  pendingNonce: () => Promise<number>;
  /** How long a stored nonce ahead of the chain's count is trusted (`withStoredNonce`). @default 300_000 */
  trustMs?: number | undefined;
  /** Passed to the lock; tests shorten them. */
  staleMs?: number | undefined;
  timeoutMs?: number | undefined;
}

export interface WithNonceReturnType<T> {
  nonce: number;
  result: T;
}

/**
 * `withStoredNonce` over the files in `$GRAM_HOME/nonces/` (`fileNonceStore`): runs `send(nonce)` with
 * the account's next nonce, one sender at a time across processes, and records the next one when `send`
 * succeeds.
 *
 * @example
 * const { result: hash } = await withNonce(
 *   { home, chainId, address, pendingNonce: () => publicClient.getTransactionCount({ address, blockTag: "pending" }) },
 *   (nonce) => sendSigned(nonce),
 * );
 */
export async function withNonce<T>(
  { home, staleMs, timeoutMs, ...rest }: WithNonceParameters,
  send: (nonce: number) => Promise<T>,
): Promise<WithNonceReturnType<T>> {
  return withStoredNonce({ store: fileNonceStore(home, { staleMs, timeoutMs }), ...rest }, send);
}
