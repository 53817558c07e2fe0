import { ClassicLevel } from "classic-level";
import type { Hex } from "viem";

/**
 * What the relayer remembers of each authorization it submitted, written (fsync'd) before the
 * transaction is broadcast: the same authorization sent again, even after a restart, gets the same
 * transaction, and a transaction signed but never broadcast (a crash in between) can still be sent.
 */
export interface RelayRecord {
  kind: "transfer" | "pay";
  /** The protocol id: keccak256(from, nonce) for a transfer, the invoice id for a payment. */
  id: Hex;
  txHash: Hex;
  /** The signed transaction, to broadcast again if the chain has never seen it. */
  raw: Hex;
  /** The relayer account's nonce that the transaction uses. */
  nonce: number;
  /** Unix milliseconds when it was signed. */
  at: number;
}

export interface RelayRecords {
  get(key: string): Promise<RelayRecord | undefined>;
  put(key: string, record: RelayRecord): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** A LevelDB the caller owns (the node's store): the records go in its `relayer` sublevel. */
type Db = ClassicLevel<string, string>;

export type OpenRelayRecordsParameters = { dataDir: string } | { db: Db };

/**
 * Keys: `t:<token>:<id>` for a transfer (ERC-3009 nonces are per token, so the token is part of the
 * key even though the protocol id is not) and `p:<escrow>:<invoiceId>` for a payment. Values: JSON.
 *
 * @example
 * const records = await openRelayRecords({ dataDir: "./data/relayer" });
 */
export async function openRelayRecords(params: OpenRelayRecordsParameters): Promise<RelayRecords> {
  const owned = "dataDir" in params;
  const root: Db = owned
    ? new ClassicLevel<string, string>(params.dataDir, { keyEncoding: "utf8", valueEncoding: "utf8" })
    : params.db;
  if (owned) await root.open();
  const db = root.sublevel<string, string>("relayer", { keyEncoding: "utf8", valueEncoding: "utf8" });
  return {
    async get(key) {
      const value = await db.get(key);
      return value === undefined ? undefined : (JSON.parse(value) as RelayRecord);
    },
    async put(key, record) {
      await root.batch([{ type: "put", sublevel: db, key, value: JSON.stringify(record) }], { sync: true });
    },
    async delete(key) {
      await root.batch([{ type: "del", sublevel: db, key }], { sync: true });
    },
    async close() {
      if (owned) await root.close();
    },
  };
}

export const transferRecordKey = (token: string, id: Hex) => `t:${token.toLowerCase()}:${id}`;
export const payRecordKey = (escrow: string, id: Hex) => `p:${escrow.toLowerCase()}:${id}`;
