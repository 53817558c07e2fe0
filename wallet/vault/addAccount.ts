import { mnemonicToSeed } from "@scure/bip39";
import { type Address, bytesToHex } from "viem";
import { HDKey } from "viem/accounts";
import { NoMnemonicError } from "../errors.ts";
import { derivationPath } from "../keys/derivationPath.ts";
import { importPrivateKey } from "../keys/importPrivateKey.ts";
import { normalizeMnemonic } from "../keys/mnemonic.ts";
import { VaultAccountExistsError, VaultAccountNotFoundError } from "./errors.ts";
import { newVaultKdf, type VaultKdfName } from "./vault-kdf.ts";
import { checkPassword, createKeyCache, type OpenedRecord, openRecords, readRecords } from "./vault-open.ts";
import { accountName, sealRecord, type VaultRecord, type VaultSecret } from "./vault-record.ts";
import type { VaultStore } from "./vault-store.ts";

/** Where the new account's key comes from. */
export type AddAccountSource =
  /** A BIP-39 phrase (a new one from `createMnemonic`, confirmed, or one being restored), at m/44'/60'/0'/0/index. */
  | { type: "mnemonic"; mnemonic: string; index?: number | undefined }
  /** The next account (or `index`) of the phrase behind `from`, an account already in the vault. */
  | { type: "derive"; from: Address; index?: number | undefined }
  | { type: "privateKey"; privateKey: string }
  /** A Web3 Secret Storage v3 keystore's text and its own password (ethers, loaded only when needed). */
  | { type: "keystore"; json: string; password: string; onProgress?: ((fraction: number) => void) | undefined };

export interface AddAccountParameters {
  /** The vault's password: sets it when the vault is empty, must open it otherwise. */
  password: string;
  source: AddAccountSource;
  /** A label for lists; "Account N" by default. */
  name?: string | undefined;
  /** The KDF of a new vault (an existing vault keeps its own). @default "pbkdf2-sha256" */
  kdf?: VaultKdfName | undefined;
}

export interface AddAccountReturnType {
  address: Address;
  name: string;
  source: VaultRecord["source"];
  path: string | undefined;
}

/**
 * Adds an account to the vault, encrypted under the vault's password. The first account sets the password;
 * later ones must give the same (it is checked by opening the oldest record, so the vault stays one
 * password and one KDF run to unlock).
 *
 * @example
 * const mnemonic = createMnemonic();
 * // … shown once, then checkPhraseConfirmation({ mnemonic, answers }) …
 * const { address } = await addAccount(store, { password, source: { type: "mnemonic", mnemonic } });
 */
export async function addAccount(
  store: VaultStore,
  { password, source, name, kdf = "pbkdf2-sha256" }: AddAccountParameters,
): Promise<AddAccountReturnType> {
  checkPassword(password);
  const records = await readRecords(store);
  const label = name === undefined ? `Account ${records.length + 1}` : accountName(name);
  const oldest = records[0];
  // An existing vault: its password is checked before any slow keystore work.
  const keyOf = createKeyCache(password);
  if (oldest !== undefined) await openRecords([oldest], password, keyOf);
  const vaultKdf = oldest?.kdf ?? newVaultKdf(kdf);
  const key = await keyOf(vaultKdf);

  const { secret, path } = await secretOf(source, records, (from) => openRecords([from], password, keyOf));
  const address = importPrivateKey({ privateKey: secret.privateKey }).address;
  if (records.some((record) => record.address === address)) {
    throw new VaultAccountExistsError(`${address} is already in the vault`);
  }
  const record = await sealRecord({ key, kdf: vaultKdf, secret, name: label, path });
  await store.put([record]);
  return { address, name: label, source: record.source, path };
}

async function secretOf(
  source: AddAccountSource,
  records: readonly VaultRecord[],
  open: (record: VaultRecord) => Promise<OpenedRecord[]>,
): Promise<{ secret: VaultSecret; path: string | undefined }> {
  switch (source.type) {
    case "privateKey":
      return { secret: { privateKey: importPrivateKey(source).privateKey }, path: undefined };
    case "mnemonic":
      return derive(normalizeMnemonic(source.mnemonic), derivationPath(source.index ?? 0));
    case "derive": {
      const from = records.find((record) => record.address === source.from);
      if (from === undefined) throw new VaultAccountNotFoundError(`${source.from} is not in the vault`);
      const [opened] = await open(from);
      const mnemonic = opened?.secret.mnemonic;
      if (mnemonic === undefined) {
        throw new NoMnemonicError(`${from.address} was imported from a private key; it has no phrase to derive from`);
      }
      if (source.index !== undefined) return derive(mnemonic, derivationPath(source.index));
      // The first index of that phrase not in the vault yet.
      const taken = new Set(records.map((record) => record.address));
      const root = HDKey.fromMasterSeed(await mnemonicToSeed(mnemonic));
      for (let index = 0; ; index++) {
        const path = derivationPath(index);
        const secret = { privateKey: bytesToHex(root.derive(path).privateKey as Uint8Array), mnemonic };
        if (!taken.has(importPrivateKey(secret).address)) return { secret, path };
      }
    }
    case "keystore": {
      checkPassword(source.password, "the keystore's password");
      // ethers stays out of the first load: only an import of a keystore fetches it.
      const { decryptKeystore } = await import("../keys/decryptKeystore.ts");
      const account = await decryptKeystore({
        keystore: source.json,
        password: source.password,
        onProgress: source.onProgress,
      });
      if (account.mnemonic === undefined) return { secret: { privateKey: account.privateKey }, path: undefined };
      return {
        secret: { privateKey: account.privateKey, mnemonic: account.mnemonic.phrase },
        path: account.mnemonic.path,
      };
    }
  }
}

async function derive(mnemonic: string, path: string): Promise<{ secret: VaultSecret; path: string }> {
  const node = HDKey.fromMasterSeed(await mnemonicToSeed(mnemonic)).derive(path);
  return { secret: { privateKey: bytesToHex(node.privateKey as Uint8Array), mnemonic }, path };
}
