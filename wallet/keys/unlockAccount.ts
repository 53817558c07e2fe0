import type { Address } from "viem";
import { type DecryptKeystoreReturnType, decryptKeystore } from "./decryptKeystore.ts";
import { readKeystore } from "./readKeystore.ts";

export interface UnlockAccountParameters {
  home: string;
  address: Address;
  password: string;
  /** Called with 0..1 while the key is derived; always with 0 first and 1 last. */
  onProgress?: ((fraction: number) => void) | undefined;
}

export type UnlockAccountReturnType = DecryptKeystoreReturnType & {
  file: string;
  /** File-mode warnings from `readKeystore`, for the caller to print. */
  warnings: string[];
};

/**
 * Reads and decrypts the keystore of `address`.
 *
 * @example
 * const { privateKey, warnings } = await unlockAccount({ home, address, password, onProgress: (f) => bar.update(f) });
 */
export async function unlockAccount({
  home,
  address,
  password,
  onProgress,
}: UnlockAccountParameters): Promise<UnlockAccountReturnType> {
  const { file, keystore, warnings } = await readKeystore({ home, address });
  let last = -1;
  const progress = onProgress
    ? (fraction: number) => {
        // Monotonic, whatever the kdf reports: a progress bar should not move backwards.
        if (fraction <= last) return;
        last = fraction;
        onProgress(fraction);
      }
    : undefined;
  progress?.(0);
  const account = await decryptKeystore({ keystore, password, onProgress: progress, source: file });
  progress?.(1);
  return { ...account, file, warnings };
}
