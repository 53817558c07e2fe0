// Hardhat's development accounts and the role each plays on the chains the tests, the benchmarks and the
// demo set up: published keys (every Hardhat and Anvil chain funds them), never used anywhere real.

export { HARDHAT_MNEMONIC } from "../../protocol/dev-chain.ts";

/**
 * The account index of each role: account 0 deploys and owns the contracts, the escrow's treasury and
 * arbiter are 4 and 5, account 6 relays. The contracts fixture, the node's and the CLI's test chains all
 * give the same account the same role.
 */
export const ROLE = {
  owner: 0,
  merchant: 1,
  payer: 2,
  other: 3,
  treasury: 4,
  arbiter: 5,
  relayer: 6,
  merchant2: 7,
  payer2: 8,
} as const;

export type Role = keyof typeof ROLE;
