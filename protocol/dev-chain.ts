// Development chains: the chain ids Hardhat and Anvil use, and the mnemonic whose accounts they fund.
// Its keys are published: anything that uses them (the demo wallet `npm start` writes, the web app's
// one-click demo accounts) is refused on any other chain.

/** Hardhat's and Anvil's development mnemonic: its accounts are funded on every development chain. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's (31337) and the older Ganache/Geth dev (1337) chain ids. */
export const DEV_CHAIN_IDS: readonly number[] = [31_337, 1_337];

/** True for a development chain's id: published keys may be offered there, never elsewhere. */
export function isDevChain(chainId: number): boolean {
  return DEV_CHAIN_IDS.includes(chainId);
}
