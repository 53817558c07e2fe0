import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { encryptKeystoreJson, type KeystoreAccount, Mnemonic } from "ethers";
import type { Address, Hex } from "viem";
import { EmptyPasswordError, InvalidPrivateKeyError, KeystoreExistsError, KeystoreWriteError } from "../errors.ts";
import { keystoreDir } from "../home.ts";
import { restrictDir, writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { deriveAccount } from "./deriveAccount.ts";
import { importPrivateKey } from "./importPrivateKey.ts";
import { listAccounts } from "./listAccounts.ts";
import { useCompatibleScrypt } from "./scrypt.ts";

/** ethers' default, 2^17: about a second to unlock on a laptop, which is the point. */
export const DEFAULT_SCRYPT_N = 131_072;

export interface WriteKeystoreParameters {
  home: string;
  /** What `deriveAccount` returns (the mnemonic is stored too) or what `importPrivateKey` returns. */
  account: { privateKey: Hex; mnemonic?: string | undefined; index?: number | undefined };
  password: string;
  /**
   * scrypt's cost. Leave it at the default for real keys; tests lower it to stay fast.
   * @default 131072
   */
  scryptN?: number | undefined;
  onProgress?: ((fraction: number) => void) | undefined;
}

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
  home,
  account,
  password,
  scryptN = DEFAULT_SCRYPT_N,
  onProgress,
}: WriteKeystoreParameters): Promise<WriteKeystoreReturnType> {
  if (password === "") {
    throw new EmptyPasswordError("password is empty; a keystore needs a password", {
      hint: "pass it with --password-file or GRAM_PASSWORD when not asked interactively",
    });
  }
  const keystoreAccount = toKeystoreAccount(account);
  const address = keystoreAccount.address as Address;
  const dir = keystoreDir(home);
  const file = join(dir, `${address}.json`);
  const existing = (await listAccounts({ home })).accounts.find((a) => a.address === address);
  if (existing) throw exists(address, existing.file);

  useCompatibleScrypt();
  const json = await encryptKeystoreJson(keystoreAccount, password, {
    scrypt: { N: scryptN },
    ...(onProgress ? { progressCallback: onProgress } : {}),
  });
  try {
    await mkdir(home, { recursive: true, mode: 0o700 });
    await writeFileAtomic({ file, data: `${json}\n`, mode: 0o600, dirMode: 0o700, exclusive: true });
    await restrictDir(dir, 0o700);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw exists(address, file);
    throw new KeystoreWriteError(`could not write ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { address, file };
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

function exists(address: Address, file: string) {
  return new KeystoreExistsError(`a keystore for ${address} already exists: ${file}`, {
    hint: "`gram accounts` lists it; remove that file first to replace it",
  });
}
