// Workloads for the node tests: random transfers in multi-transaction blocks, and a scripted invoice
// story that exercises every escrow balance rule (capture with cashback, confirm, void, dispute and
// resolve, withdraw with a fee, a refund larger than the merchant's balance).
import type { Address, Hex } from "viem";
import { expect } from "vitest";
import { random } from "../../scripts/lib/random.ts";
import type { PaidInvoice, TestChain } from "./chain.ts";

/** `blocks` blocks of `perBlock` random transfers among holders and merchants. Returns the tx hashes. */
export async function randomTransfers(chain: TestChain, seed: number, blocks: number, perBlock: number) {
  const rng = random(seed);
  const people = [...chain.holders, ...chain.merchants];
  const hashes: Hex[] = [];
  for (let b = 0; b < blocks; b++) {
    await chain.inOneBlock(async () => {
      for (let i = 0; i < perBlock; i++) {
        const from = rng.pick(people);
        // Now and then to oneself: one log, two history entries.
        const to = rng.next() < 0.05 ? from : rng.pick(people);
        hashes.push(await chain.transfer(from, to, BigInt(1 + rng.int(1_000_000))));
      }
    });
  }
  return hashes;
}

/** Runs `step` in one block with a few random transfers around it, and checks every tx succeeded. */
async function blockWith(chain: TestChain, seed: number, step: () => Promise<Hex[]>) {
  const rng = random(seed);
  const people = [...chain.holders, ...chain.merchants];
  const hashes: Hex[] = [];
  await chain.inOneBlock(async () => {
    hashes.push(await chain.transfer(rng.pick(people), rng.pick(people), BigInt(1 + rng.int(1000))));
    hashes.push(...(await step()));
    hashes.push(await chain.transfer(rng.pick(people), rng.pick(people), BigInt(1 + rng.int(1000))));
  });
  for (const hash of hashes) await chain.assertMined(hash);
}

/** Five blocks of invoice life, mixed with transfers. Returns the invoices paid. */
export async function invoiceStory(chain: TestChain, seed: number): Promise<PaidInvoice[]> {
  const [merchantA, merchantB] = chain.merchants as [Address, Address];
  const [h0, h1, h2, h3] = chain.holders as [Address, Address, Address, Address];
  const paid: PaidInvoice[] = [];
  await blockWith(chain, seed, async () => {
    paid.push(await chain.payInvoice({ merchant: merchantA, payer: h0, amount: 1000n, tip: 10n, cashbackBps: 100 }));
    paid.push(await chain.payInvoice({ merchant: merchantB, payer: h1, amount: 500n, openPayer: true }));
    paid.push(await chain.payInvoice({ merchant: merchantA, payer: h2, amount: 300n, cashbackBps: 100 }));
    return [];
  });
  const [inv1, inv2, inv3] = paid as [PaidInvoice, PaidInvoice, PaidInvoice];
  await blockWith(chain, seed + 1, async () => [await chain.capture(inv1, 600n), await chain.dispute(inv3, h2)]);
  await blockWith(chain, seed + 2, async () => [
    await chain.confirm(inv1, h0),
    await chain.void(inv2),
    await chain.resolve(inv3, 100n),
  ]);
  // merchantA holds 990 + 198 = 1188: withdraw 900 (fee 4), then refund 500 of which 288 from the balance.
  await blockWith(chain, seed + 3, async () => [await chain.withdraw(merchantA, 900n, h3)]);
  await blockWith(chain, seed + 4, async () => [await chain.refund(inv1, 500n)]);
  expect(paid).toHaveLength(3);
  return paid;
}
