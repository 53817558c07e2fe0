import type { Address, Hex } from "viem";
import { type Cursor, decodeCursor } from "./block.ts";
import { balanceKey, cursorKey, escrowBalancePrefix, prefixEnd, undoKey, undoPrefix } from "./keys.ts";
import type { Store } from "./open-store.ts";

export interface AccountBalances {
  cursor: Cursor | undefined;
  /** As of the cursor: every indexed block, pending ones included. */
  balances: bigint[];
  /** As of `confirmedBlock`: the blocks after it left out. */
  confirmed: bigint[];
}

/**
 * Values before the blocks after one confirmed block, per key, read from the undo records of those
 * blocks (the oldest record that touched a key holds its value as of the confirmed block; null: absent).
 * Remembered per cursor and confirmed block, so that one block's records are parsed once, not per request.
 */
export class PendingChanges {
  private memo: { key: string; changes: Map<string, string | null> } | undefined;

  async read(
    store: Store,
    snapshot: ReturnType<Store["db"]["snapshot"]>,
    cursor: Cursor,
    confirmedBlock: number,
  ): Promise<Map<string, string | null>> {
    if (confirmedBlock >= cursor.number) return new Map();
    const memoKey = `${cursor.hash}:${confirmedBlock}`;
    if (this.memo?.key === memoKey) return this.memo.changes;
    const changes = new Map<string, string | null>();
    for await (const value of store.db.values({
      gt: undoKey(confirmedBlock),
      lt: prefixEnd(undoPrefix),
      snapshot,
    })) {
      for (const [key, previous] of JSON.parse(value) as Array<[string, string | null]>) {
        if (!changes.has(key)) changes.set(key, previous);
      }
    }
    this.memo = { key: memoKey, changes };
    return changes;
  }
}

/**
 * The cursor and `account`'s balances of `tokens`, from one LevelDB snapshot: `balances` are exactly
 * those of the block the cursor names, `confirmed` those of `confirmedBlock` (the newest block deep
 * enough to count as confirmed). Blocks within finality keep undo records, which is what says what the
 * newer blocks changed; the node refuses `--confirmations` beyond `--finality`.
 *
 * @example
 * const { cursor, balances, confirmed } = await readAccountBalances(store, tokens, account, head - 1, pending);
 */
export async function readAccountBalances(
  store: Store,
  tokens: readonly Address[],
  account: Address,
  confirmedBlock: number = Number.MAX_SAFE_INTEGER,
  pending: PendingChanges = new PendingChanges(),
): Promise<AccountBalances> {
  const owner = account.toLowerCase();
  const keys = tokens.map((token) => balanceKey(token.toLowerCase(), owner));
  const snapshot = store.db.snapshot();
  try {
    const [cursorValue, ...values] = await store.db.getMany([cursorKey, ...keys], { snapshot });
    const cursor = cursorValue === undefined ? undefined : decodeCursor(cursorValue);
    const balances = values.map(amountOf);
    if (cursor === undefined) return { cursor, balances, confirmed: balances };
    const changes = await pending.read(store, snapshot, cursor, confirmedBlock);
    const confirmed = keys.map((key, i) => {
      const before = changes.get(key);
      return before === undefined ? (balances[i] as bigint) : amountOf(before ?? undefined);
    });
    return { cursor, balances, confirmed };
  } finally {
    await snapshot.close();
  }
}

const amountOf = (value: string | undefined) => (value === undefined ? 0n : BigInt(value));

/**
 * Every token the escrow holds a balance of for `merchant`, now and as of `confirmedBlock` (zero
 * balances are deleted, so a token appears when one of the two is non-zero), from one snapshot.
 *
 * @example
 * const { balances } = await readEscrowBalances(store, merchant, head - 1, pending);
 * // Map { "0xtoken…" => { balance: 1188n, confirmed: 1000n } }
 */
export async function readEscrowBalances(
  store: Store,
  merchant: Address,
  confirmedBlock: number = Number.MAX_SAFE_INTEGER,
  pending: PendingChanges = new PendingChanges(),
): Promise<{ cursor: Cursor | undefined; balances: Map<Hex, { balance: bigint; confirmed: bigint }> }> {
  const prefix = escrowBalancePrefix(merchant.toLowerCase());
  const snapshot = store.db.snapshot();
  try {
    const cursorValue = await store.db.get(cursorKey, { snapshot });
    const cursor = cursorValue === undefined ? undefined : decodeCursor(cursorValue);
    const balances = new Map<Hex, { balance: bigint; confirmed: bigint }>();
    for await (const [key, value] of store.db.iterator({ gte: prefix, lt: prefixEnd(prefix), snapshot })) {
      balances.set(key.slice(prefix.length) as Hex, { balance: BigInt(value), confirmed: BigInt(value) });
    }
    if (cursor === undefined) return { cursor, balances };
    for (const [key, before] of await pending.read(store, snapshot, cursor, confirmedBlock)) {
      if (!key.startsWith(prefix)) continue;
      const token = key.slice(prefix.length) as Hex;
      const entry = balances.get(token) ?? { balance: 0n, confirmed: 0n };
      entry.confirmed = amountOf(before ?? undefined);
      if (entry.balance !== 0n || entry.confirmed !== 0n) balances.set(token, entry);
    }
    return { cursor, balances };
  } finally {
    await snapshot.close();
  }
}
