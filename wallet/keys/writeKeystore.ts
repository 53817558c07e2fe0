import { encryptKeystoreJson, type KeystoreAccount, Mnemonic } from "ethers";
import type { Address, Hex } from "viem";
import { EmptyPasswordError, InvalidPrivateKeyError } from "../errors.ts";
import { deriveAccount } from "./deriveAccount.ts";
import { importPrivateKey } from "./importPrivateKey.ts";
import { keystoreExists } from "./keystore-store.ts";
import { type KeystoreSource, keystoreStoreOf } from "./keystoreStoreOf.ts";
import { listAccounts } from "./listAccounts.ts";
import { useCompatibleScrypt } from "./scrypt.ts";

/** ethers' default, 2^17: about a second to unlock on a laptop, which is the point. */
export const DEFAULT_SCRYPT_N = 131_072;

/** `home` (`$GRAM_HOME/keystore/<address>.json`) or a `KeystoreStore`, and what to write. */
export type WriteKeystoreParameters = KeystoreSource & {
  /** What `deriveAccount` returns (the mnemonic is stored too) or what `importPrivateKey` returns. */
  account: { privateKey: Hex; mnemonic?: string | undefined; index?: number | undefined };
  password: string;
  /**
   * scrypt's cost. Leave it at the default for real keys; tests lower it to stay fast.
   * @default 131072
   */
  scryptN?: number | undefined;
  onProgress?: ((fraction: number) => void) | undefined;
};

export interface WriteKeystoreReturnType {
  address: Address;
  file: string;
}

/**
 * Encrypts an account into `$GRAM_HOME/keystore/<address>.json` (Web3 Secret Storage v3 by ethers: scrypt,
 * aes-128-ctr; with a mnemonic, ethers' encrypted `x-ethers` section holds it), written atomically with mode
 * 0600 in a 0700 folder. Refuses to replace an existing keystore of the same address.
 *
 * @example
 * const account = deriveAccount({ mnemonic: createMnemonic(), index: 0 });
 * const { file } = await writeKeystore({ home, account, password });
 */
export async function writeKeystore({
  account,
  password,
  scryptN = DEFAULT_SCRYPT_N,
  onProgress,
  ...source
}: WriteKeystoreParameters): Promise<WriteKeystoreReturnType> {
  if (password === "") {
    throw new EmptyPasswordError("password is empty; a keystore needs a password", {
      hint: "pass it with --password-file or GRAM_PASSWORD when not asked interactively",
    });
  }
  const keystoreAccount = toKeystoreAccount(account);
  const address = keystoreAccount.address as Address;
  const store = await keystoreStoreOf(source);
  const existing = (await listAccounts({ keystores: store })).accounts.find((a) => a.address === address);
  if (existing) throw keystoreExists(address, existing.file);

  useCompatibleScrypt();
  const json = await encryptKeystoreJson(keystoreAccount, password, {
    scrypt: { N: scryptN },
    ...(onProgress ? { progressCallback: onProgress } : {}),
  });
  return { address, file: await store.add(address, json) };
}

function toKeystoreAccount(account: WriteKeystoreParameters["account"]): KeystoreAccount {
  const { address, privateKey } = importPrivateKey({ privateKey: account.privateKey });
  if (account.mnemonic === undefined) return { address, privateKey };
  const derived = deriveAccount({ mnemonic: account.mnemonic, index: account.index ?? 0 });
  if (derived.address !== address) {
    // Storing this mnemonic would make a backup that does not restore this key.
    throw new InvalidPrivateKeyError(
      `the private key is not the one the mnemonic derives at index ${account.index ?? 0}`,
    );
  }
  return {
    address,
    privateKey,
    mnemonic: { entropy: Mnemonic.fromPhrase(derived.mnemonic).entropy, path: derived.path, locale: "en" },
  };
}
