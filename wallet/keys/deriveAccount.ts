import { HDNodeWallet, Mnemonic } from "ethers";
import type { Address, Hex } from "viem";
import { derivationPath } from "./derivationPath.ts";
import { normalizeMnemonic } from "./mnemonic.ts";

export interface DeriveAccountParameters {
  /** BIP-39 English words; case and spacing do not matter. */
  mnemonic: string;
  /** Account number i on m/44'/60'/0'/0/i. */
  index?: number | undefined;
}

export interface DerivedAccount {
  address: Address;
  privateKey: Hex;
  /** The normalised mnemonic, kept so that the keystore can store it (encrypted) for later accounts. */
  mnemonic: string;
  path: string;
  index: number;
}

export type DeriveAccountReturnType = DerivedAccount;

/**
 * The account at m/44'/60'/0'/0/index of a mnemonic (no BIP-39 passphrase).
 *
 * @example
 * const { address } = deriveAccount({ mnemonic: "test test test test test test test test test test test junk", index: 1 });
 * // 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
 */
export function deriveAccount({ mnemonic, index = 0 }: DeriveAccountParameters): DeriveAccountReturnType {
  const path = derivationPath(index);
  const phrase = normalizeMnemonic(mnemonic);
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(phrase), path);
  return { address: wallet.address as Address, privateKey: wallet.privateKey as Hex, mnemonic: phrase, path, index };
}
