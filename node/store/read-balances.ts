import type { Address, Hex } from "viem";
import { type Cursor, decodeCursor } from "./block.ts";
import { balanceKey, cursorKey, escrowBalancePrefix, prefixEnd } from "./keys.ts";
import type { Store } from "./open-store.ts";

/**
 * The cursor and `account`'s balances of `tokens`, from one `getMany` (one LevelDB snapshot): the
 * balances are exactly those of the block the cursor names.
 *
 * @example
 * const { cursor, balances } = await readAccountBalances(store, tokens, account);
 */
export async function readAccountBalances(
  store: Store,
  tokens: readonly Address[],
  account: Address,
): Promise<{ cursor: Cursor | undefined; balances: bigint[] }> {
  const owner = account.toLowerCase();
  const [cursor, ...values] = await store.db.getMany([
    cursorKey,
    ...tokens.map((token) => balanceKey(token.toLowerCase(), owner)),
  ]);
  return {
    cursor: cursor === undefined ? undefined : decodeCursor(cursor),
    balances: values.map((value) => (value === undefined ? 0n : BigInt(value))),
  };
}

/**
 * Every token the escrow holds a balance of for `merchant` (non-zero only: zero balances are deleted).
 *
 * @example
 * const balances = await readEscrowBalances(store, merchant); // Map { "0xtoken…" => 1188n }
 */
export async function readEscrowBalances(store: Store, merchant: Address): Promise<Map<Hex, bigint>> {
  const prefix = escrowBalancePrefix(merchant.toLowerCase());
  const balances = new Map<Hex, bigint>();
  for await (const [key, value] of store.db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) {
    balances.set(key.slice(prefix.length) as Hex, BigInt(value));
  }
  return balances;
}
