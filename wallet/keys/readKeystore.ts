import { type Address, getAddress } from "viem";
import { KeystoreCorruptError, KeystoreNotFoundError } from "../errors.ts";
import type { KeystoreStore } from "./keystore-store.ts";
import { type KeystoreSource, keystoreStoreOf } from "./keystoreStoreOf.ts";
import { listAccounts } from "./listAccounts.ts";
import { type ParsedKeystore, parseKeystore } from "./parseKeystore.ts";

export type ReadKeystoreParameters = KeystoreSource & { address: Address };

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
export async function readKeystore({ address, ...source }: ReadKeystoreParameters): Promise<ReadKeystoreReturnType> {
  const wanted = getAddress(address.toLowerCase());
  const store = await keystoreStoreOf(source);
  const file = await locate(store, wanted);
  const keystore = parseKeystore(await store.read(file), file);
  if (keystore.address !== undefined && keystore.address !== wanted) {
    throw new KeystoreCorruptError(`${file} holds the key of ${keystore.address}, not of ${wanted}`, {
      hint: "rename the file after the address inside it, or restore it from a backup",
    });
  }
  return { file, keystore, warnings: await store.warnings(file) };
}

async function locate(store: KeystoreStore, address: Address): Promise<string> {
  const named = await store.named(address);
  if (named !== undefined) return named;
  const { accounts } = await listAccounts({ keystores: store });
  const found = accounts.find((account) => account.address === address);
  if (found) return found.file;
  throw new KeystoreNotFoundError(`no keystore for ${address} in ${store.where}`, {
    hint: "`gram accounts` lists the accounts this wallet holds",
  });
}
