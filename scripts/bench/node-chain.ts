// The benchmark's chain: Hardhat's in-process chain served on loopback, GramToken and MerchantEscrow
// deployed, GRAM minted to many holders, and Transfer events generated fast: holders are impersonated
// (no signing, no keys), every transaction carries its gas (no estimation), 100 sends go in one JSON-RPC
// batch with automine off, and each block is mined with `evm_mine` (never `hardhat_mine`, whose blocks
// have zero parent hashes).
import { type Address, encodeFunctionData, getAddress, type Hex, keccak256, stringToHex, toHex } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import type { Deployment } from "../../protocol/deployments.ts";
import { deployFresh } from "../lib/deploy-contracts.ts";
import { serveChain } from "../lib/serve-chain.ts";

const MINT_PER_HOLDER = 10n ** 15n;
const TRANSFER_GAS = toHex(100_000);
const MINT_GAS = toHex(150_000);

export interface BenchChain {
  url: string;
  chainId: number;
  token: Address;
  escrow: Address;
  deployBlock: number;
  /** The contracts' record, as `<chainId>.json` holds it for gram-node. */
  deployment: Deployment;
  owner: Address;
  holders: Address[];
  /** One JSON-RPC call; throws on an error response. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** One JSON-RPC batch; throws when any call failed. Results in request order. */
  batch(calls: readonly { method: string; params: unknown[] }[]): Promise<unknown[]>;
  /** Sends `transfers` into one new block, then mines it; checks that the block holds all of them. */
  mineBlock(transfers: readonly Transfer[]): Promise<void>;
  transferCall(to: Address, value: bigint): Hex;
  close(): Promise<void>;
}

export interface Transfer {
  from: Address;
  to: Address;
  value: bigint;
}

/** `count` deterministic addresses nobody holds a key for: the chain lets us send as them (impersonation). */
function holderAddresses(count: number): Address[] {
  return Array.from({ length: count }, (_, i) =>
    getAddress(`0x${keccak256(stringToHex(`gram-bench-${i}`)).slice(-40)}`),
  );
}

export async function startBenchChain({ holders: holderCount }: { holders: number }): Promise<BenchChain> {
  const served = await serveChain();
  const { url } = served;
  let id = 0;

  async function post(body: unknown): Promise<unknown> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`chain RPC: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  }
  type Reply = { id: number; result?: unknown; error?: { message: string } };
  async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const reply = (await post({ jsonrpc: "2.0", id: ++id, method, params })) as Reply;
    if (reply.error !== undefined) throw new Error(`chain RPC ${method}: ${reply.error.message}`);
    return reply.result as T;
  }
  async function batch(calls: readonly { method: string; params: unknown[] }[]): Promise<unknown[]> {
    if (calls.length === 0) return [];
    const first = id + 1;
    const body = calls.map((call) => ({ jsonrpc: "2.0", id: ++id, ...call }));
    const replies = (await post(body)) as Reply[];
    if (!Array.isArray(replies) || replies.length !== calls.length) throw new Error("chain RPC: a short batch reply");
    const results: unknown[] = new Array(calls.length);
    for (const reply of replies) {
      if (reply.error !== undefined) {
        const call = calls[reply.id - first];
        throw new Error(`chain RPC ${call?.method}: ${reply.error.message}`);
      }
      results[reply.id - first] = reply.result;
    }
    return results;
  }

  try {
    const owner = getAddress((await rpc<Address[]>("eth_accounts"))[0] as Address);
    // The owner is the treasury and the arbiter too: the benchmark moves tokens, not escrow payments.
    const deployment = await deployFresh({ viem: served.connection.viem });
    const { deployBlock, chainId } = deployment;
    const token = getAddress(deployment.contracts.GramToken.address);
    const escrow = getAddress(deployment.contracts.MerchantEscrow.address);
    const holders = holderAddresses(holderCount);

    // The holders may send (impersonated) and pay gas.
    for (let i = 0; i < holders.length; i += 250) {
      await batch(
        holders.slice(i, i + 250).flatMap((holder) => [
          { method: "hardhat_impersonateAccount", params: [holder] },
          { method: "hardhat_setBalance", params: [holder, toHex(10n ** 21n)] },
        ]),
      );
    }

    const transferCall = (to: Address, value: bigint) =>
      encodeFunctionData({ abi: gramTokenAbi, functionName: "transfer", args: [to, value] } as never);

    async function mineTxs(txs: readonly { from: Address; data: Hex; gas: Hex }[]) {
      await batch(
        txs.map((tx) => ({
          method: "eth_sendTransaction",
          params: [{ from: tx.from, to: token, data: tx.data, gas: tx.gas }],
        })),
      );
      await rpc("evm_mine");
      const count = Number(await rpc<Hex>("eth_getBlockTransactionCountByNumber", ["latest"]));
      if (count !== txs.length) throw new Error(`a block holds ${count} transactions, expected ${txs.length}`);
    }

    await rpc("evm_setAutomine", [false]);
    // Mint to every holder, 100 mints a block.
    for (let i = 0; i < holders.length; i += 100) {
      await mineTxs(
        holders.slice(i, i + 100).map((holder) => ({
          from: owner,
          data: encodeFunctionData({
            abi: gramTokenAbi,
            functionName: "mint",
            args: [holder, MINT_PER_HOLDER],
          } as never),
          gas: MINT_GAS,
        })),
      );
    }

    return {
      url,
      chainId,
      token,
      escrow,
      deployBlock,
      deployment,
      owner,
      holders,
      rpc,
      batch,
      transferCall,
      mineBlock: (transfers) =>
        mineTxs(transfers.map((t) => ({ from: t.from, data: transferCall(t.to, t.value), gas: TRANSFER_GAS }))),
      close: served.close,
    };
  } catch (error) {
    await served.close().catch(() => {});
    throw error;
  }
}
