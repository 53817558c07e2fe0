import type { Address } from "viem";
import { KeystoreCorruptError, WalletError } from "../errors.ts";
import { indexOfPath } from "./derivationPath.ts";
import { type KeystoreSource, keystoreStoreOf } from "./keystoreStoreOf.ts";
import { parseKeystore } from "./parseKeystore.ts";

/** `home` (`$GRAM_HOME`, from `gramHome()`: its `keystore/` folder), or a `KeystoreStore`. */
export type ListAccountsParameters = KeystoreSource;

export interface AccountInfo {
  address: Address;
  /** Its entry in the store: the keystore file's path. */
  file: string;
  /** The keystore also holds the mnemonic, so further accounts can be derived from it. */
  hasMnemonic: boolean;
  path: string | undefined;
  /** i of m/44'/60'/0'/0/i, for accounts derived by this wallet. */
  index: number | undefined;
}

export interface ListAccountsReturnType {
  /** Derived accounts by index, then imported ones by address. */
  accounts: AccountInfo[];
  /** `.json` files in the keystore folder that are not readable keystores, with why. */
  unreadable: { file: string; error: WalletError }[];
}

/**
 * The accounts in `$GRAM_HOME/keystore`, read without a password (addresses and paths are in clear text).
 *
 * @example
 * const { accounts } = await listAccounts({ home: gramHome() });
 */
export async function listAccounts(source: ListAccountsParameters): Promise<ListAccountsReturnType> {
  const store = await keystoreStoreOf(source);
  const accounts: AccountInfo[] = [];
  const unreadable: ListAccountsReturnType["unreadable"] = [];
  for (const file of await store.names()) {
    try {
      const keystore = parseKeystore(await store.read(file), file);
      if (!keystore.address) throw new KeystoreCorruptError(`${file}: address: missing`);
      const path = keystore.path;
      accounts.push({
        address: keystore.address,
        file,
        hasMnemonic: keystore.hasMnemonic,
        path,
        index: path === undefined ? undefined : indexOfPath(path),
      });
    } catch (error) {
      if (!(error instanceof WalletError)) throw error;
      unreadable.push({ file, error });
    }
  }
  accounts.sort(
    (a, b) =>
      (a.index ?? Number.POSITIVE_INFINITY) - (b.index ?? Number.POSITIVE_INFINITY) ||
      a.address.toLowerCase().localeCompare(b.address.toLowerCase()),
  );
  return { accounts, unreadable };
}
