// Hardhat's in-process chain with GramToken and MerchantEscrow (the contracts fixture), and wallet
// clients over it whose accounts are local keys, as the wallet's are: Hardhat's default accounts in their
// roles (./accounts.ts).
import type { NetworkConnection } from "hardhat/types/network";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  type Hash,
  isAddressEqual,
  type PublicClient,
} from "viem";
import { hardhat } from "viem/chains";
import { expect } from "vitest";
import { deployGram, type GramFixture } from "../../scripts/lib/contracts-fixture.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import type { SentTransaction } from "../../wallet/actions/internal/submitTransaction.ts";
import { describeTransaction } from "../../wallet/summary/describeTransaction.ts";
import { localAccount, ROLE } from "./accounts.ts";
import { tempHome } from "./wallet-helpers.ts";

export interface WalletChain {
  f: GramFixture;
  connection: NetworkConnection;
  publicClient: PublicClient;
  /** A GramClient signing as Hardhat account `index`, with its own fresh `$GRAM_HOME` unless given one. */
  clientFor: (index: number, home?: string) => Promise<GramClient>;
  rpc: (method: string, params?: unknown[]) => Promise<unknown>;
  /** Checksummed contract addresses. */
  token: Address;
  escrow: Address;
  balanceOf: (address: Address) => Promise<bigint>;
}

export async function setUpChain(connection: NetworkConnection): Promise<WalletChain> {
  const f = await deployGram(connection);
  const transport = custom(connection.provider);
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10 });
  const clientFor = async (index: number, home?: string) => {
    const account = localAccount(index);
    const walletClient = createWalletClient({ chain: hardhat, transport, account });
    return createGramClient({
      publicClient,
      walletClient,
      chainId: f.chainId,
      contracts: { token: f.token.address, escrow: f.escrow.address },
      home: home ?? (await tempHome()),
    });
  };
  // The fixture's roles are Hardhat's accounts in this order; the local keys must be the same accounts.
  expect(localAccount(ROLE.payer).address).toBe(getAddress(f.accounts.payer.account.address));
  const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
  const balanceOf = (address: Address) => f.token.read.balanceOf([address]);
  return {
    f,
    connection,
    publicClient: publicClient as PublicClient,
    clientFor,
    rpc,
    balanceOf,
    token: getAddress(f.token.address),
    escrow: getAddress(f.escrow.address),
  };
}

/**
 * Runs a sending action with automine off, so that its transaction is still pending: decodes the
 * transaction the node holds (the exact signed bytes) back into a summary and checks it equals the one
 * shown before signing; then mines it and returns the receipt.
 */
export async function sendAndCheck<T extends SentTransaction>(
  chain: WalletChain,
  client: GramClient,
  action: () => Promise<T>,
) {
  await chain.rpc("evm_setAutomine", [false]);
  let sent: T;
  try {
    sent = await action();
    const tx = await chain.publicClient.getTransaction({ hash: sent.hash });
    expect(tx.blockNumber).toBeNull();
    const decoded = await describeTransaction(client, {
      transaction: {
        chainId: tx.chainId as number,
        to: tx.to as Address,
        data: tx.input,
        value: tx.value,
        gas: tx.gas,
        maxFeePerGas: tx.maxFeePerGas as bigint,
        maxPriorityFeePerGas: tx.maxPriorityFeePerGas as bigint,
      },
      from: tx.from,
    });
    expect(decoded).toEqual(sent.summary);
    expect(isAddressEqual(tx.from, client.account?.address as Address)).toBe(true);
    expect(tx.nonce).toBe(sent.nonce);
    await chain.rpc("evm_mine");
  } finally {
    await chain.rpc("evm_setAutomine", [true]);
  }
  const receipt = await chain.publicClient.getTransactionReceipt({ hash: sent.hash });
  expect(receipt.status).toBe("success");
  return { ...sent, receipt };
}

export async function mined(chain: WalletChain, hash: Hash) {
  return chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
}
