import { ClassicLevel } from "classic-level";
import type { Address, Hex } from "viem";
import type { RelayErrorCode } from "../../protocol/relay.ts";

/**
 * What the relayer remembers of each authorization it submitted, written (fsync'd) before the
 * transaction is broadcast: the same authorization sent again, even after a restart, gets the same
 * answer, and a transaction signed but never broadcast (a crash in between) can still be sent.
 */
export interface RelayRecord {
  kind: "transfer" | "pay";
  /** The protocol id: keccak256(from, nonce) for a transfer, the invoice id for a payment. */
  id: Hex;
  /** The transaction carrying it now: a fee bump replaces it (the earlier ones are in `replaced`). */
  txHash: Hex;
  /** The signed transaction, to broadcast again if the chain has never seen it. */
  raw: Hex;
  /** The relayer account's nonce that the transaction uses. */
  nonce: number;
  /** Unix milliseconds when it was signed. */
  at: number;
  /**
   * keccak256 of the request as parsed (every signed field and the signatures): a copy is the same
   * authorization only when this matches. Absent in records written before it was kept: those match any copy.
   */
  digest?: Hex;
  /** Who authorized it: the transfer's `from`, the payment's `payer`. */
  payer?: Address;
  /** `sent` until its receipt is seen; absent in older records (read as `sent`). */
  status?: "sent" | "mined" | "reverted";
  /** For `reverted`: the refusal a copy is answered with. */
  revert?: { code: RelayErrorCode; message: string };
  /** Earlier transactions of this relay that a higher fee replaced. */
  replaced?: Hex[];
}

/**
 * One of the relayer's transactions not yet mined, by its account nonce: a relay, or a zero-value
 * transfer to itself that closes a gap. The watchdog follows each until the chain has used its nonce.
 */
export interface PendingTransaction {
  nonce: number;
  /** The transaction sent last at this nonce, and its signed bytes. */
  txHash: Hex;
  raw: Hex;
  /** The relay's transactions at this nonce, oldest first: the first, then its fee bumps. */
  hashes: Hex[];
  /** Zero-value transfers to itself sent at this nonce instead, oldest first: the gap fillers. */
  fillers?: Hex[];
  /** The relay record it carries; absent for a gap with nothing recorded at it. */
  key?: string;
  /** Unix milliseconds when `txHash` was sent. */
  sentAt: number;
}

export interface RelayRecords {
  get(key: string): Promise<RelayRecord | undefined>;
  /** Writes records and pending transactions, and deletes others, in one fsync'd batch. */
  write(changes: {
    put?: readonly (readonly [string, RelayRecord])[];
    pending?: readonly PendingTransaction[];
    delete?: readonly string[];
    settled?: readonly number[];
  }): Promise<void>;
  put(key: string, record: RelayRecord): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every pending transaction, by nonce. */
  pending(): Promise<PendingTransaction[]>;
  close(): Promise<void>;
}

/** A LevelDB the caller owns (the node's store): the records go in its `relayer` sublevel. */
type Db = ClassicLevel<string, string>;

export type OpenRelayRecordsParameters = { dataDir: string } | { db: Db };

/** Nonces as fixed-width keys, so that the sublevel lists them in order. */
const pendingKey = (nonce: number) => `q:${String(nonce).padStart(16, "0")}`;

/**
 * Keys: `t:<token>:<id>` for a transfer (ERC-3009 nonces are per token, so the token is part of the
 * key even though the protocol id is not), `p:<escrow>:<invoiceId>` for a payment, and
 * `q:<nonce>` for a transaction not yet mined. Values: JSON.
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
  const records: RelayRecords = {
    async get(key) {
      const value = await db.get(key);
      return value === undefined ? undefined : (JSON.parse(value) as RelayRecord);
    },
    async write(changes) {
      await root.batch(
        [
          ...(changes.put ?? []).map(
            ([key, record]) => ({ type: "put", sublevel: db, key, value: JSON.stringify(record) }) as const,
          ),
          ...(changes.pending ?? []).map(
            (tx) => ({ type: "put", sublevel: db, key: pendingKey(tx.nonce), value: JSON.stringify(tx) }) as const,
          ),
          ...(changes.delete ?? []).map((key) => ({ type: "del", sublevel: db, key }) as const),
          ...(changes.settled ?? []).map((nonce) => ({ type: "del", sublevel: db, key: pendingKey(nonce) }) as const),
        ],
        { sync: true },
      );
    },
    put: (key, record) => records.write({ put: [[key, record]] }),
    delete: (key) => records.write({ delete: [key] }),
    async pending() {
      const found: PendingTransaction[] = [];
      for await (const value of db.values({ gte: "q:", lt: "q;" })) found.push(JSON.parse(value) as PendingTransaction);
      return found;
    },
    async close() {
      if (owned) await root.close();
    },
  };
  return records;
}

export const transferRecordKey = (token: string, id: Hex) => `t:${token.toLowerCase()}:${id}`;
export const payRecordKey = (escrow: string, id: Hex) => `p:${escrow.toLowerCase()}:${id}`;
