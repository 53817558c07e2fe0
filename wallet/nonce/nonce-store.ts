// Each account's next nonce as this wallet last recorded it, and where it is kept: a `NonceStore` is a file
// per account under a file lock for the CLI (`fileNonceStore.ts`, `$GRAM_HOME/nonces/`), memory for tests
// (`memoryNonceStore`), IndexedDB under a Web Lock in a page (`web/storage/`). `withStoredNonce` holds the
// rules; this file runs anywhere.
import type { Address } from "viem";
import { NonceFileError } from "../errors.ts";
import { type LockedSlot, memoryLocks } from "../internal/locked-slot.ts";

/**
 * How far the stored next nonce may be ahead of the chain's pending count. A node's transaction pool holds
 * at most 64 transactions of one account beyond its next (geth's default `--txpool.accountqueue`), so a
 * record further ahead does not describe transactions anyone holds: it is damaged (or the chain was reset).
 */
export const MAX_NONCE_AHEAD = 64;

/** How far in the future a record's time may be: clocks that are corrected move by seconds. */
export const NONCE_CLOCK_SKEW_MS = 60_000;

export interface StoredNonce {
  next: number;
  /** When it was written, in ms since the epoch. */
  updatedAt: number;
}

/** Whose nonce: one account on one chain. */
export interface NonceKey {
  chainId: number;
  address: Address;
}

/** Where the accounts' next nonces live. */
export interface NonceStore {
  /**
   * Runs `use` holding the account's lock, alone: across processes for files (a lock file), across a
   * browser's tabs for IndexedDB (a Web Lock). `read` throws `NonceFileError` on a damaged record.
   */
  withNonce<T>(key: NonceKey, use: (slot: LockedSlot<StoredNonce>) => Promise<T>): Promise<T>;
}

export const NONCE_REMOVE_HINT = "remove the file: the wallet then takes the nonce from the chain";

/** Checks a record read back from a store: `{"next": <nonce>, "updatedAt": <ms>}`, not dated in the future. */
export function parseStoredNonce(data: unknown, where: string, hint = NONCE_REMOVE_HINT): StoredNonce {
  const { next, updatedAt } = (typeof data === "object" && data !== null ? data : {}) as {
    next?: unknown;
    updatedAt?: unknown;
  };
  if (typeof next !== "number" || !Number.isSafeInteger(next) || next < 0 || typeof updatedAt !== "number") {
    throw new NonceFileError(`${where}: expected {"next": <nonce>, "updatedAt": <ms>}`, { hint });
  }
  const now = Date.now();
  if (updatedAt > now + NONCE_CLOCK_SKEW_MS) {
    throw new NonceFileError(
      `${where}: written at ${when(updatedAt)}, which is after now (${when(now)}); expected a time in the past`,
      { details: "the file is damaged, or this machine's clock went back", hint },
    );
  }
  return { next, updatedAt };
}

/** The key of an account's record: `<chainId>-<address>`, lower case (the file's name). */
export function nonceName({ chainId, address }: NonceKey): string {
  return `${chainId}-${address.toLowerCase()}`;
}

/**
 * Keeps the next nonces in memory only (one process): a test, a bot that starts afresh. `records` holds
 * them as stored (keys `nonce:<chainId>-<address>`), checked on each read as a file would be.
 */
export function memoryNonceStore(records: Map<string, unknown> = new Map()): NonceStore {
  const lock = memoryLocks();
  return {
    withNonce(key, use) {
      const name = nonceName(key);
      const where = `memory nonce ${name}`;
      return lock(name, () =>
        use({
          where,
          read: async () => {
            const data = records.get(`nonce:${name}`);
            return data === undefined
              ? undefined
              : parseStoredNonce(data, where, "forget it: a new store starts afresh");
          },
          write: async (value) => {
            records.set(`nonce:${name}`, { ...key, ...value });
          },
        }),
      );
    },
  };
}

function when(ms: number) {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}
