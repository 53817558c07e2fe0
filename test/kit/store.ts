// The node's store in tests: LevelDB stores in temp folders, and the check that what the indexer stored
// equals what the contracts say at the chain's head.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address } from "viem";
import { expect } from "vitest";
import { openStore, type Store } from "../../node/store/open-store.ts";
import { readCursor } from "../../node/store/read-cursor.ts";
import { readBalance, readEscrowBalance, readFees, readInvoice } from "../../node/store/read-state.ts";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import type { PaidInvoice, TestChain } from "./chain.ts";

/** A LevelDB store in a fresh temp folder; `cleanup` removes every folder made. */
export function tempStores() {
  const dirs: string[] = [];
  return {
    async open(dir?: string): Promise<{ store: Store; dir: string }> {
      const path = dir ?? (await mkdtemp(join(tmpdir(), "gram-node-")));
      if (dir === undefined) dirs.push(path);
      return { store: await openStore({ path }), dir: path };
    },
    cleanup: () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))),
  };
}

/**
 * The indexed state equals the contracts' at the chain's head: the cursor is the head, every account's
 * balance is `balanceOf`, every merchant's escrow balance is the escrow's `balanceOf`, the fees are
 * `feesOf`, and each invoice is indexed exactly when the chain spent its number, with what the escrow
 * still holds for it.
 */
export async function expectStoreEqualsChain(store: Store, chain: TestChain, invoices: readonly PaidInvoice[] = []) {
  const head = await chain.client.getBlock({ blockTag: "latest" });
  expect(await readCursor(store)).toEqual({ number: Number(head.number), hash: head.hash });
  const read = <T>(
    address: Address,
    abi: typeof gramTokenAbi | typeof merchantEscrowAbi,
    functionName: string,
    args: unknown[],
  ) => chain.client.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  for (const account of [...chain.accounts, chain.escrow]) {
    const onChain = await read<bigint>(chain.token, gramTokenAbi, "balanceOf", [account]);
    expect({ account, balance: await readBalance(store, chain.token, account) }).toEqual({ account, balance: onChain });
  }
  for (const merchant of chain.merchants) {
    const onChain = await read<bigint>(chain.escrow, merchantEscrowAbi, "balanceOf", [merchant, chain.token]);
    expect({ merchant, escrow: await readEscrowBalance(store, merchant, chain.token) }).toEqual({
      merchant,
      escrow: onChain,
    });
  }
  expect(await readFees(store, chain.token)).toBe(
    await read<bigint>(chain.escrow, merchantEscrowAbi, "feesOf", [chain.token]),
  );
  for (const { invoice, id } of invoices) {
    const used = await read<boolean>(chain.escrow, merchantEscrowAbi, "isInvoiceUsed", [
      invoice.merchant,
      invoice.nonce,
    ]);
    const record = await readInvoice(store, id);
    expect({ id, indexed: record !== undefined }).toEqual({ id, indexed: used });
    if (record === undefined) continue;
    const payment = await read<{ held: bigint; refundable: bigint }>(chain.escrow, merchantEscrowAbi, "paymentOf", [
      id,
    ]);
    expect({ id, held: record.held, refundable: record.captured - record.cashback - record.refunded }).toEqual({
      id,
      held: payment.held,
      refundable: payment.refundable,
    });
  }
}
