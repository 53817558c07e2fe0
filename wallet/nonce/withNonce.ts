import { join } from "node:path";
import type { Address } from "viem";
import { NonceFileError } from "../errors.ts";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { withFileLock } from "./fileLock.ts";

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
 * was refused leaves no gap.
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
    const trusted = stored !== undefined && Date.now() - stored.updatedAt <= trustMs ? stored.next : 0;
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

/** The next nonce recorded in `file`, or undefined when none was. */
export async function readStoredNonce(file: string): Promise<StoredNonce | undefined> {
  const text = await readFileIfExists(file, FILE_BOUNDS.nonce);
  if (text === undefined) return undefined;
  let data: { next?: unknown; updatedAt?: unknown } = {};
  try {
    data = JSON.parse(text) ?? {};
  } catch {}
  const { next, updatedAt } = data;
  if (typeof next !== "number" || !Number.isSafeInteger(next) || next < 0 || typeof updatedAt !== "number") {
    throw new NonceFileError(`${file}: expected {"next": <nonce>, "updatedAt": <ms>}`, {
      hint: "remove the file: the wallet then takes the nonce from the chain",
    });
  }
  return { next, updatedAt };
}
