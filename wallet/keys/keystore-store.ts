// Where the CLI's encrypted keys (Web3 Secret Storage v3 JSON) are kept: a `KeystoreStore` is the files of
// `$GRAM_HOME/keystore/` for the CLI (`fileKeystoreStore.ts`) and memory for tests (`memoryKeystoreStore`).
// A page keeps its keys in its own vault (`wallet/vault/`), not here. `listAccounts`, `readKeystore` and
// `writeKeystore` hold the rules; this file runs anywhere.
import type { Address } from "viem";
import { KeystoreExistsError, KeystoreNotFoundError } from "../errors.ts";

/** The keystores of one wallet, as entries of text; the entries are checked by `parseKeystore` on use. */
export interface KeystoreStore {
  /** Where they are, for messages ("no keystore for 0x… in <where>"). */
  where: string;
  /** The entries that may hold a keystore (a file's path), sorted. */
  names(): Promise<string[]>;
  /** The entry named after `address` by `add`, when there is one: found before any other entry. */
  named(address: Address): Promise<string | undefined>;
  /** An entry's text, bounded (`FILE_BOUNDS.keystore`). */
  read(name: string): Promise<string>;
  /** Adds `json` as the keystore of `address`, never replacing one (`KeystoreExistsError`); returns its name. */
  add(address: Address, json: string): Promise<string>;
  /** What is wrong with who may read the entry (a file's mode); nothing for stores without such a notion. */
  warnings(name: string): Promise<string[]>;
}

/** Keeps keystores in memory only: a test, a demo. */
export function memoryKeystoreStore(): KeystoreStore {
  const entries = new Map<string, string>();
  const nameOf = (address: Address) => `memory keystore ${address}`;
  return {
    where: "memory",
    names: async () => [...entries.keys()].sort(),
    named: async (address) => (entries.has(nameOf(address)) ? nameOf(address) : undefined),
    async read(name) {
      const text = entries.get(name);
      if (text === undefined) throw new KeystoreNotFoundError(`no keystore ${name}`);
      return text;
    },
    async add(address, json) {
      const name = nameOf(address);
      if (entries.has(name)) throw keystoreExists(address, name);
      entries.set(name, json);
      return name;
    },
    warnings: async () => [],
  };
}

/** "a keystore for 0x… already exists: <where>". */
export function keystoreExists(address: Address, name: string): KeystoreExistsError {
  return new KeystoreExistsError(`a keystore for ${address} already exists: ${name}`, {
    hint: "`gram accounts` lists it; remove that file first to replace it",
  });
}
