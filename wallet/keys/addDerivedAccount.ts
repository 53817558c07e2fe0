import { HDNodeWallet, Mnemonic } from "ethers";
import type { Address } from "viem";
import { NoMnemonicError } from "../errors.ts";
import { derivationPath } from "./derivationPath.ts";
import { deriveAccount } from "./deriveAccount.ts";
import { listAccounts } from "./listAccounts.ts";
import { unlockAccount } from "./unlockAccount.ts";
import { writeKeystore } from "./writeKeystore.ts";

export interface AddDerivedAccountParameters {
  home: string;
  /** An account whose keystore holds its mnemonic. */
  from: Address;
  /** Unlocks `from`, and encrypts the new keystore. */
  password: string;
  /** Which account to add; by default the first index of that mnemonic that has no keystore yet. */
  index?: number | undefined;
  scryptN?: number | undefined;
  onProgress?: ((fraction: number) => void) | undefined;
}

export interface AddDerivedAccountReturnType {
  address: Address;
  file: string;
  index: number;
  path: string;
}

/**
 * Derives another account from the mnemonic stored (encrypted) with `from` and writes its keystore.
 *
 * @example
 * const { address, index } = await addDerivedAccount({ home, from: first, password });
 */
export async function addDerivedAccount({
  home,
  from,
  password,
  index,
  scryptN,
  onProgress,
}: AddDerivedAccountParameters): Promise<AddDerivedAccountReturnType> {
  const unlocked = await unlockAccount({ home, address: from, password });
  if (!unlocked.mnemonic) {
    throw new NoMnemonicError(
      `${unlocked.address} was imported from a private key; it has no mnemonic to derive from`,
      {
        hint: "create accounts with `gram init`, or import a mnemonic with `gram import`",
      },
    );
  }
  const mnemonic = unlocked.mnemonic.phrase;
  let chosen = index;
  if (chosen === undefined) {
    const taken = new Set((await listAccounts({ home })).accounts.map((account) => account.address));
    // One seed-to-parent derivation (PBKDF2), then a cheap child derivation per index.
    const parent = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), "m/44'/60'/0'/0");
    chosen = 0;
    while (taken.has(parent.deriveChild(chosen).address as Address)) chosen++;
  }
  const account = deriveAccount({ mnemonic, index: chosen });
  const written = await writeKeystore({ home, account, password, scryptN, onProgress });
  return { ...written, index: chosen, path: derivationPath(chosen) };
}
