import { toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** The Hardhat / Anvil test mnemonic (published; every tool derives the same default accounts from it). */
const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's default account `index` as a local key, the way the wallet holds its keys. */
export function localAccount(index: number) {
  const hd = mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index });
  const key = hd.getHdKey().privateKey;
  if (key === null) throw new Error("no private key");
  return privateKeyToAccount(toHex(key));
}
