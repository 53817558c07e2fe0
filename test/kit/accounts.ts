// The tests' accounts: Hardhat's development accounts (published keys, funded on every test chain) in the
// roles of scripts/lib/hardhat-accounts.ts, as local keys the way the wallet holds its keys, and keys that
// no chain funds, made from a label so that they repeat from run to run.
import { type Address, keccak256, stringToHex, toHex } from "viem";
import { mnemonicToAccount, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { HARDHAT_MNEMONIC, ROLE, type Role } from "../../scripts/lib/hardhat-accounts.ts";

export { ROLE, type Role };

/** The Hardhat / Anvil test mnemonic (published; every tool derives the same default accounts from it). */
export const TEST_MNEMONIC = HARDHAT_MNEMONIC;

/** Hardhat's first accounts, as every tool prints them: fixed values the wallet's outputs are checked against. */
export const ACCOUNT_0: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const ACCOUNT_1: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** ACCOUNT_1 with the case of one letter swapped: mixed case that is no longer EIP-55. */
export const BAD_CHECKSUM = ACCOUNT_1.replace("C", "c");
export const KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const keys = new Map<number, `0x${string}`>();

/** The private key of Hardhat's default account `index`, as hex (derived once, then remembered). */
export function privateKeyOf(index: number): `0x${string}` {
  let key = keys.get(index);
  if (key === undefined) {
    const derived = mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
    if (derived === null) throw new Error(`no private key for account ${index}`);
    key = toHex(derived);
    keys.set(index, key);
  }
  return key;
}

/** Hardhat's default account `index` as a local key, the way the wallet holds its keys. */
export function localAccount(index: number): PrivateKeyAccount {
  return privateKeyToAccount(privateKeyOf(index));
}

/** The checksummed address of a role. */
export const addressOf = (role: Role): Address => localAccount(ROLE[role]).address;

/** A key no chain funds, the same for the same label on every run. */
export const labeledKey = (label: string) => privateKeyToAccount(keccak256(stringToHex(`gram-relayer-test:${label}`)));
