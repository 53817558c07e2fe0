import { type Address, getAddress, type Hash, isAddressEqual, parseAbiItem } from "viem";
import { formatAmount } from "../../protocol/amounts.ts";
import { ChainError } from "../errors.ts";
import type { SummaryToken } from "../summary/types.ts";
import type { GramClient } from "./client.ts";
import { readTokenInfo } from "./readTokenInfo.ts";

export interface ReadHistoryParameters {
  /** @default the unlocked account */
  address?: Address | undefined;
  /** @default the configured GramToken */
  token?: Address | undefined;
  /** The deployment's block: earlier blocks hold no transfers of the token. @default 0n */
  fromBlock?: bigint | undefined;
  /** The newest this many entries. @default 50 */
  limit?: number | undefined;
}

export interface HistoryEntry {
  hash: Hash;
  blockNumber: bigint;
  logIndex: number;
  /** Seconds since the epoch, from the block. */
  timestamp: number;
  direction: "in" | "out" | "self";
  from: Address;
  to: Address;
  /** The other side (yourself for `self`). */
  counterparty: Address;
  units: bigint;
  amount: string;
}

export interface ReadHistoryReturnType {
  address: Address;
  token: SummaryToken;
  entries: HistoryEntry[];
}

const transferEvent = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/**
 * An account's token transfers, newest first, from the chain's `Transfer` logs (escrow payments and
 * refunds included: they are transfers to and from the escrow).
 *
 * @example
 * const { entries } = await readHistory(client, { fromBlock: BigInt(deployment.deployBlock), limit: 20 });
 */
export async function readHistory(
  client: GramClient,
  {
    address = client.account?.address,
    token = client.contracts.token,
    fromBlock = 0n,
    limit = 50,
  }: ReadHistoryParameters = {},
): Promise<ReadHistoryReturnType> {
  if (address === undefined) throw new ChainError("readHistory: no address given and no account unlocked");
  const info = await readTokenInfo(client, { token });
  try {
    const query = (args: { from: Address } | { to: Address }) =>
      client.publicClient.getLogs({ address: info.address, event: transferEvent, args, fromBlock, toBlock: "latest" });
    const [sent, received] = await Promise.all([query({ from: address }), query({ to: address })]);
    const seen = new Set<string>();
    const logs = [...sent, ...received]
      .filter((log) => {
        // A transfer to oneself matches both queries.
        const key = `${log.transactionHash}:${log.logIndex}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) =>
        a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1,
      )
      .slice(0, limit);
    const blocks = new Map<bigint, Promise<number>>();
    const timestampOf = (blockNumber: bigint) => {
      let t = blocks.get(blockNumber);
      if (t === undefined) {
        t = client.publicClient.getBlock({ blockNumber }).then((block) => Number(block.timestamp));
        blocks.set(blockNumber, t);
      }
      return t;
    };
    const entries = await Promise.all(
      logs.map(async (log): Promise<HistoryEntry> => {
        const from = getAddress(log.args.from as Address);
        const to = getAddress(log.args.to as Address);
        const out = isAddressEqual(from, address);
        const inbound = isAddressEqual(to, address);
        const units = log.args.value as bigint;
        return {
          hash: log.transactionHash,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
          timestamp: await timestampOf(log.blockNumber),
          direction: out && inbound ? "self" : out ? "out" : "in",
          from,
          to,
          counterparty: out ? to : from,
          units,
          amount: formatAmount(units, info.decimals),
        };
      }),
    );
    return { address: getAddress(address), token: info, entries };
  } catch (cause) {
    throw new ChainError(`could not read the history of ${address}`, { cause });
  }
}
