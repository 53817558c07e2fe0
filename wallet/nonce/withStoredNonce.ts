import type { Address } from "viem";
import { NonceFileError } from "../errors.ts";
import { MAX_NONCE_AHEAD, NONCE_REMOVE_HINT, type NonceStore } from "./nonce-store.ts";

export interface WithStoredNonceParameters {
  /** Where the next nonce is kept: `client.stores.nonces`, `fileNonceStore(home)` for the CLI. */
  store: NonceStore;
  chainId: number;
  address: Address;
  /** The chain's count of the account's transactions including pending ones (`eth_getTransactionCount`, "pending"). */
  pendingNonce: () => Promise<number>;
  /**
   * How long a stored nonce ahead of the chain's count is trusted. RPCs lag by seconds; a transaction the
   * chain has still not seen after this was dropped (or the chain was reset), and waiting on it would
   * leave every later transaction stuck behind the gap.
   * @default 300_000
   */
  trustMs?: number | undefined;
}

export interface WithStoredNonceReturnType<T> {
  nonce: number;
  result: T;
}

/**
 * Runs `send(nonce)` with the account's next nonce, one sender at a time (the store's lock: across
 * processes for files, across tabs in a browser). The nonce is max(the chain's pending count, the next
 * nonce stored): the chain knows what was mined or seen, the store knows what this wallet sent that a
 * (lagging, load-balanced) RPC has not shown yet, and it survives restarts (for `trustMs`, see there). The
 * next nonce is recorded only when `send` succeeds, so a transaction that was refused leaves no gap. A
 * record dated in the future, or (while trusted) more than `MAX_NONCE_AHEAD` ahead of the chain, is refused
 * as damaged: trusting it would stall every later transaction behind a gap.
 *
 * @example
 * const { result: hash } = await withStoredNonce(
 *   { store: client.stores.nonces, chainId, address, pendingNonce: () => publicClient.getTransactionCount({ address, blockTag: "pending" }) },
 *   (nonce) => sendSigned(nonce),
 * );
 */
export async function withStoredNonce<T>(
  { store, chainId, address, pendingNonce, trustMs = 300_000 }: WithStoredNonceParameters,
  send: (nonce: number) => Promise<T>,
): Promise<WithStoredNonceReturnType<T>> {
  return store.withNonce({ chainId, address }, async (slot) => {
    const [stored, pending] = await Promise.all([slot.read(), pendingNonce()]);
    const fresh = stored !== undefined && Date.now() - stored.updatedAt <= trustMs;
    if (fresh && stored.next > pending + MAX_NONCE_AHEAD) {
      throw new NonceFileError(
        `${slot.where}: next nonce ${stored.next} is ${stored.next - pending} ahead of the chain's count ${pending}; expected at most ${MAX_NONCE_AHEAD} ahead`,
        { details: "no node holds that many transactions of one account in waiting", hint: NONCE_REMOVE_HINT },
      );
    }
    const trusted = fresh ? stored.next : 0;
    const nonce = Math.max(trusted, pending);
    const result = await send(nonce);
    await slot.write({ next: nonce + 1, updatedAt: Date.now() });
    return { nonce, result };
  });
}
