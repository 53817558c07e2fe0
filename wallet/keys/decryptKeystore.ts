import { decryptKeystoreJson, HDNodeWallet, isError, Mnemonic } from "ethers";
import type { Address, Hex } from "viem";
import { KeystoreCorruptError, WrongPasswordError } from "../errors.ts";
import { indexOfPath } from "./derivationPath.ts";
import { type ParsedKeystore, parseKeystore } from "./parseKeystore.ts";
import { useCompatibleScrypt } from "./scrypt.ts";

export interface DecryptKeystoreParameters {
  /** The keystore's JSON text, or what `parseKeystore` made of it. */
  keystore: string | ParsedKeystore;
  password: string;
  /** Called with 0..1 while the key is derived (scrypt takes about a second at the standard cost). */
  onProgress?: ((fraction: number) => void) | undefined;
  /** Names the keystore in errors: a file path, say. */
  source?: string | undefined;
}

export interface UnlockedAccount {
  address: Address;
  privateKey: Hex;
  /** Present when the keystore carries the mnemonic the key was derived from. */
  mnemonic?: { phrase: string; path: string; index: number | undefined };
}

export type DecryptKeystoreReturnType = UnlockedAccount;

/**
 * Decrypts a Web3 Secret Storage v3 keystore with ethers.
 *
 * @example
 * const { address, privateKey } = await decryptKeystore({ keystore: json, password, onProgress: (f) => bar.update(f) });
 */
export async function decryptKeystore({
  keystore,
  password,
  onProgress,
  source = "keystore",
}: DecryptKeystoreParameters): Promise<DecryptKeystoreReturnType> {
  const parsed = typeof keystore === "string" ? parseKeystore(keystore, source) : keystore;
  useCompatibleScrypt();
  let account: Awaited<ReturnType<typeof decryptKeystoreJson>>;
  try {
    account = await decryptKeystoreJson(parsed.json, password, onProgress);
  } catch (error) {
    throw translate(error, source);
  }
  const address = account.address as Address;
  if (!account.mnemonic) return { address, privateKey: account.privateKey as Hex };

  // The mnemonic is encrypted apart from the key, under the same password: check they still agree.
  const path = account.mnemonic.path ?? "m/44'/60'/0'/0/0";
  let derived: HDNodeWallet;
  try {
    derived = HDNodeWallet.fromMnemonic(Mnemonic.fromEntropy(account.mnemonic.entropy), path);
  } catch {
    throw new KeystoreCorruptError(`${source}: the stored mnemonic or its path cannot be read`, { hint });
  }
  if (derived.address !== address) {
    throw new KeystoreCorruptError(`${source}: the stored mnemonic does not derive this account's key`, {
      details: "the x-ethers section was changed or copied from another keystore",
      hint,
    });
  }
  return {
    address,
    privateKey: account.privateKey as Hex,
    mnemonic: { phrase: derived.mnemonic?.phrase ?? "", path, index: indexOfPath(path) },
  };
}

const hint = "restore this file from a backup, or import the account again from its mnemonic or private key";

/** ethers' errors, in the wallet's terms. None of them is attached as a cause: they may quote the file. */
function translate(error: unknown, source: string): Error {
  if (isError(error, "INVALID_ARGUMENT") && error.argument === "password") {
    return new WrongPasswordError(`wrong password for ${source}`, {
      details: "the keystore's MAC does not match: the password is wrong, or the file's ciphertext was changed",
      hint: "check the password (and the --password-file or GRAM_PASSWORD it came from)",
    });
  }
  if (isError(error, "INVALID_ARGUMENT") && error.argument === "address") {
    return new KeystoreCorruptError(`${source}: the key decrypts to a different address than the file names`, {
      details: "the address field or the ciphertext was changed",
      hint,
    });
  }
  const what = isError(error, "INVALID_ARGUMENT") ? error.shortMessage : "the keystore could not be decrypted";
  return new KeystoreCorruptError(`${source}: ${what}`, { hint });
}
