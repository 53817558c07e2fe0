// Constants the tests share: Hardhat's chain id and the addresses its first deployments take (account 0,
// nonces 0, 1 and 2: where the fixtures' GramToken and MerchantEscrow land, and a third contract), the
// CLI's test password, and the fast scrypt cost test keystores are written at.
import type { Address } from "viem";
import type { ChatDomainInfo } from "../../protocol/chat/sign.ts";

export const CHAIN_ID = 31337;
export const TOKEN: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const ESCROW: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
/** A third address: another escrow than ESCROW, for domain and link mismatches. */
export const OTHER_ESCROW: Address = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";

/** The password of every keystore the CLI tests write (from a file: `--password-file`). */
export const PASSWORD = "correct horse battery staple 7";

/** Tests write keystores at scrypt N = 2^10; the default (2^17) is tested once, on its own. */
export const FAST_SCRYPT_N = 1024;

/** The chat domain of the tests that need no chain: Hardhat's chain id and the first escrow's address. */
export const DOMAIN: ChatDomainInfo = { chainId: CHAIN_ID, escrow: ESCROW };
