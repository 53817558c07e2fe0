// A demo account's signer: Hardhat's published mnemonic at `index`, derived in the page. Loaded on demand
// (session.ts imports it dynamically) so the BIP-32 code is not in the first screen's JavaScript.
import type { LocalAccount } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { HARDHAT_MNEMONIC } from "../../protocol/dev-chain.ts";

export function demoAccount(index: number): LocalAccount {
  return mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
}
