// The viem clients the relayer reads and sends through. Apart from `context.ts` because the submitter
// takes them too, and the context holds the submitter: one file each way would make an import cycle.
import type { Account, Chain, PublicClient, Transport, WalletClient } from "viem";

export type RelayerPublicClient = PublicClient<Transport, Chain | undefined>;
export type RelayerWalletClient = WalletClient<Transport, Chain | undefined, Account>;
