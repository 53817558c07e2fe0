// The next nonces in files, for the CLI and the Node scripts: `$GRAM_HOME/nonces/<chainId>-<address>.json`,
// changed under its lock file by one process at a time. The one part of the nonces that needs a file system.
import { join } from "node:path";
import type { Address } from "viem";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { withFileLock } from "../internal/withFileLock.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { type NonceStore, nonceName, parseStoredNonce, type StoredNonce } from "./nonce-store.ts";

/** `$GRAM_HOME/nonces/<chainId>-<address>.json`: the next nonce this wallet will use. */
export function nonceFile(home: string, chainId: number, address: Address): string {
  return join(home, "nonces", `${nonceName({ chainId, address })}.json`);
}

/** The next nonce recorded in `file`, or undefined when none was. A file dated in the future is refused. */
export async function readStoredNonce(file: string): Promise<StoredNonce | undefined> {
  const text = await readFileIfExists(file, FILE_BOUNDS.nonce);
  if (text === undefined) return undefined;
  let data: unknown = {};
  try {
    data = JSON.parse(text) ?? {};
  } catch {}
  return parseStoredNonce(data, file);
}

export interface FileNonceStoreOptions {
  /** Passed to the lock (`withFileLock`); tests shorten them. */
  staleMs?: number | undefined;
  timeoutMs?: number | undefined;
}

/**
 * The next nonces in `$GRAM_HOME/nonces/`, each changed under `<file>.lock` (`withFileLock`): one sender
 * at a time across the processes of this machine. Written atomically, mode 0600.
 *
 * @example
 * await withStoredNonce({ store: fileNonceStore(home), chainId, address, pendingNonce }, send);
 */
export function fileNonceStore(home: string, { staleMs, timeoutMs }: FileNonceStoreOptions = {}): NonceStore {
  return {
    withNonce({ chainId, address }, use) {
      const file = nonceFile(home, chainId, address);
      return withFileLock({ file: `${file}.lock`, staleMs, timeoutMs }, () =>
        use({
          where: file,
          read: () => readStoredNonce(file),
          async write({ next, updatedAt }) {
            await writeFileAtomic({
              file,
              data: `${JSON.stringify({ chainId, address, next, updatedAt })}\n`,
              mode: 0o600,
              dirMode: 0o700,
            });
          },
        }),
      );
    },
  };
}
