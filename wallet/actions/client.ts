import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type LocalAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { ChainError, NoAccountError, WrongChainError } from "../errors.ts";
import type { WalletStores } from "../wallet-stores.ts";

/** What every action takes first: how to reach the chain, whose key signs, and which contracts are Gram's. */
export interface GramClient {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** The unlocked account; undefined for a read-only client. Always a local key: the wallet signs itself. */
  account: LocalAccount | undefined;
  /** The chain the wallet is configured for (the deployment's); the RPC was checked to serve it. */
  chainId: number;
  contracts: { token: Address; escrow: Address };
  /** Where nonces, invoices and contacts live: files under `$GRAM_HOME` for the CLI, IndexedDB in a page. */
  stores: WalletStores;
  /** `$GRAM_HOME` when the stores are its files; empty when the stores were given. */
  home: string;
  /** Token symbol and decimals, read once per token. */
  tokens: Map<string, Promise<{ symbol: string; decimals: number }>>;
}

export type CreateGramClientParameters = {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** With a local account (`privateKeyToAccount`); leave out for reads only. */
  walletClient?: WalletClient<Transport, Chain | undefined, Account> | undefined;
  chainId: number;
  contracts: { token: Address; escrow: Address };
} & (
  | {
      /** Where nonces, invoices and contacts live (a page: IndexedDB; a test: memory). */ stores: WalletStores;
      home?: undefined;
    }
  | { /** `$GRAM_HOME`: the files of `fileWalletStores` (the CLI, Node scripts). */ home: string; stores?: undefined }
);

/**
 * Builds the client the actions take, after checking that the RPC serves the configured chain: a wallet
 * pointed at the wrong chain would sign transactions that mean something else there.
 *
 * @example
 * const client = await createGramClient({ publicClient, walletClient, chainId: 31337, contracts, home });
 * const inPage = await createGramClient({ publicClient, walletClient, chainId, contracts, stores: indexedDbStores });
 */
export async function createGramClient({
  publicClient,
  walletClient,
  chainId,
  contracts,
  ...where
}: CreateGramClientParameters): Promise<GramClient> {
  let served: number;
  try {
    served = await publicClient.getChainId();
  } catch (cause) {
    throw new ChainError("could not reach the chain's RPC", { cause, hint: "check --rpc" });
  }
  if (served !== chainId) {
    throw new WrongChainError(`the RPC serves chain ${served}, but the wallet is configured for chain ${chainId}`, {
      hint: "point --rpc at the configured chain, or use that chain's deployment",
    });
  }
  const account = walletClient?.account;
  if (account !== undefined && account.type !== "local") {
    throw new NoAccountError(`account ${account.address} is not a local key`, {
      details: "the wallet signs with its own keys and never asks an RPC node to sign",
    });
  }
  return {
    publicClient,
    account,
    chainId,
    contracts: { token: getAddress(contracts.token), escrow: getAddress(contracts.escrow) },
    stores: where.stores ?? (await fileStoresOf(where.home)),
    home: where.home ?? "",
    tokens: new Map(),
  };
}

/** The signing account, or a clear error for actions that need one. */
export function requireAccount(client: GramClient): LocalAccount {
  if (client.account === undefined) {
    throw new NoAccountError("this action signs, but no account is unlocked", { hint: "pass --account" });
  }
  return client.account;
}

/** The files under `home`, loaded only when a home folder is given: a page passes its stores and never loads Node's file system. */
async function fileStoresOf(home: string): Promise<WalletStores> {
  const { fileWalletStores } = await import("../fileWalletStores.ts");
  return fileWalletStores(home);
}
