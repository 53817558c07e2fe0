import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type Address, getAddress } from "viem";
import { KeystoreCorruptError, KeystoreNotFoundError } from "../errors.ts";
import { keystoreDir } from "../home.ts";
import { FILE_BOUNDS, readBoundedFile } from "../internal/readBoundedFile.ts";
import { listAccounts } from "./listAccounts.ts";
import { type ParsedKeystore, parseKeystore } from "./parseKeystore.ts";

export interface ReadKeystoreParameters {
  home: string;
  address: Address;
}

export interface ReadKeystoreReturnType {
  file: string;
  keystore: ParsedKeystore;
  /** Permissions wider than they should be: worth telling the user, not worth refusing the key. */
  warnings: string[];
}

/**
 * Finds and checks the keystore of `address` under `$GRAM_HOME/keystore` (named `<address>.json` by this
 * wallet; any other file whose address field matches is found too), without decrypting it.
 *
 * @example
 * const { file, warnings } = await readKeystore({ home, address });
 */
export async function readKeystore({ home, address }: ReadKeystoreParameters): Promise<ReadKeystoreReturnType> {
  const wanted = getAddress(address.toLowerCase());
  const file = await locate(home, wanted);
  const keystore = parseKeystore(await readBoundedFile(file, FILE_BOUNDS.keystore), file);
  if (keystore.address !== undefined && keystore.address !== wanted) {
    throw new KeystoreCorruptError(`${file} holds the key of ${keystore.address}, not of ${wanted}`, {
      hint: "rename the file after the address inside it, or restore it from a backup",
    });
  }
  return { file, keystore, warnings: await modeWarnings(file) };
}

async function locate(home: string, address: Address): Promise<string> {
  const file = join(keystoreDir(home), `${address}.json`);
  try {
    await stat(file);
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { accounts } = await listAccounts({ home });
  const found = accounts.find((account) => account.address === address);
  if (found) return found.file;
  throw new KeystoreNotFoundError(`no keystore for ${address} in ${keystoreDir(home)}`, {
    hint: "`gram accounts` lists the accounts this wallet holds",
  });
}

/** Other users may read the keystore (a brute-force target) or list its folder. */
async function modeWarnings(file: string): Promise<string[]> {
  if (process.platform === "win32") return [];
  const warnings: string[] = [];
  const dir = join(file, "..");
  for (const [path, expected] of [
    [dir, 0o700],
    [file, 0o600],
  ] as const) {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${path} has mode ${octal(mode)}; expected ${octal(expected)}, so that only you can read it (chmod ${octal(expected)} '${path}')`,
      );
    }
  }
  return warnings;
}

function octal(mode: number) {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
