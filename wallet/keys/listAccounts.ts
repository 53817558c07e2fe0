import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Address } from "viem";
import { KeystoreCorruptError, WalletError } from "../errors.ts";
import { keystoreDir } from "../home.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { indexOfPath } from "./derivationPath.ts";
import { parseKeystore } from "./parseKeystore.ts";

export interface ListAccountsParameters {
  /** `$GRAM_HOME`, from `gramHome()`. */
  home: string;
}

export interface AccountInfo {
  address: Address;
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
export async function listAccounts({ home }: ListAccountsParameters): Promise<ListAccountsReturnType> {
  const dir = keystoreDir(home);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { accounts: [], unreadable: [] };
    throw error;
  }
  const accounts: AccountInfo[] = [];
  const unreadable: ListAccountsReturnType["unreadable"] = [];
  for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith(".")).sort()) {
    const file = join(dir, name);
    try {
      const keystore = parseKeystore(await readBoundedFile(file, FILE_BOUNDS.keystore), file);
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
