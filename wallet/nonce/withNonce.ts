import { join } from "node:path";
import type { Address } from "viem";
import { NonceFileError } from "../errors.ts";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { withFileLock } from "../internal/withFileLock.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";

/**
 * How far the stored next nonce may be ahead of the chain's pending count. A node's transaction pool holds
 * at most 64 transactions of one account beyond its next (geth's default `--txpool.accountqueue`), so a
 * file further ahead does not describe transactions anyone holds: it is damaged (or the chain was reset).
 */
export const MAX_NONCE_AHEAD = 64;

/** How far in the future a nonce file's time may be: clocks that are corrected move by seconds. */
export const NONCE_CLOCK_SKEW_MS = 60_000;

export interface WithNonceParameters {
  home: string;
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
  /** Passed to the lock; tests shorten them. */
  staleMs?: number | undefined;
  timeoutMs?: number | undefined;
}

export interface WithNonceReturnType<T> {
  nonce: number;
  result: T;
}

/** `$GRAM_HOME/nonces/<chainId>-<address>.json`: the next nonce this wallet will use. */
export function nonceFile(home: string, chainId: number, address: Address): string {
  return join(home, "nonces", `${chainId}-${address.toLowerCase()}.json`);
}

/**
 * Runs `send(nonce)` with the account's next nonce, one sender at a time across processes. The nonce is
 * max(the chain's pending count, the next nonce stored by this wallet): the chain knows what was mined
 * or seen, the file knows what this machine sent that a (lagging, load-balanced) RPC has not shown yet,
 * and it survives restarts (for `trustMs`, see there). The next nonce is recorded only when `send` succeeds, so a transaction that
 * was refused leaves no gap. A file dated in the future, or (while trusted) more than `MAX_NONCE_AHEAD` ahead
 * of the chain, is refused as damaged: trusting it would stall every later transaction behind a gap.
 *
 * @example
 * const { result: hash } = await withNonce(
 *   { home, chainId, address, pendingNonce: () => publicClient.getTransactionCount({ address, blockTag: "pending" }) },
 *   (nonce) => sendSigned(nonce),
 * );
 */
export async function withNonce<T>(
  { home, chainId, address, pendingNonce, trustMs = 300_000, staleMs, timeoutMs }: WithNonceParameters,
  send: (nonce: number) => Promise<T>,
): Promise<WithNonceReturnType<T>> {
  const file = nonceFile(home, chainId, address);
  return withFileLock({ file: `${file}.lock`, staleMs, timeoutMs }, async () => {
    const [stored, pending] = await Promise.all([readStoredNonce(file), pendingNonce()]);
    const fresh = stored !== undefined && Date.now() - stored.updatedAt <= trustMs;
    if (fresh && stored.next > pending + MAX_NONCE_AHEAD) {
      throw new NonceFileError(
        `${file}: next nonce ${stored.next} is ${stored.next - pending} ahead of the chain's count ${pending}; expected at most ${MAX_NONCE_AHEAD} ahead`,
        { details: "no node holds that many transactions of one account in waiting", hint: removeHint },
      );
    }
    const trusted = fresh ? stored.next : 0;
    const nonce = Math.max(trusted, pending);
    const result = await send(nonce);
    await writeFileAtomic({
      file,
      data: `${JSON.stringify({ chainId, address, next: nonce + 1, updatedAt: Date.now() })}\n`,
      mode: 0o600,
      dirMode: 0o700,
    });
    return { nonce, result };
  });
}

export interface StoredNonce {
  next: number;
  /** When it was written, in ms since the epoch. */
  updatedAt: number;
}

/** The next nonce recorded in `file`, or undefined when none was. A file dated in the future is refused. */
export async function readStoredNonce(file: string): Promise<StoredNonce | undefined> {
  const text = await readFileIfExists(file, FILE_BOUNDS.nonce);
  if (text === undefined) return undefined;
  let data: { next?: unknown; updatedAt?: unknown } = {};
  try {
    data = JSON.parse(text) ?? {};
  } catch {}
  const { next, updatedAt } = data;
  if (typeof next !== "number" || !Number.isSafeInteger(next) || next < 0 || typeof updatedAt !== "number") {
    throw new NonceFileError(`${file}: expected {"next": <nonce>, "updatedAt": <ms>}`, { hint: removeHint });
  }
  const now = Date.now();
  if (updatedAt > now + NONCE_CLOCK_SKEW_MS) {
    throw new NonceFileError(
      `${file}: written at ${when(updatedAt)}, which is after now (${when(now)}); expected a time in the past`,
      { details: "the file is damaged, or this machine's clock went back", hint: removeHint },
    );
  }
  return { next, updatedAt };
}

const removeHint = "remove the file: the wallet then takes the nonce from the chain";

function when(ms: number) {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}
