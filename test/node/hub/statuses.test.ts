// Status pushes, driven by a fake indexer (createIndexerEvents and hand-made ChainEvents; no chain):
// invoice events reach merchant and payer, transfers reach both sides, a reorg sends `reverted` for what
// it removed, offline parties get them on sync, strangers to the hub get nothing, and a restart neither
// forgets what a reorg may still revert nor tells anything twice.
import { type Address, type Hex, keccak256, stringToHex, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import type { ChainEvent, EventBody } from "../../../node/internal/chain-events.ts";
import { createIndexerEvents } from "../../../node/internal/indexer-events.ts";
import { statusUpdateSchema } from "../../../protocol/chat/frames.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { ESCROW, TOKEN } from "../../kit/constants.ts";
import { signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const served: ServedHub[] = [];
afterEach(async () => {
  for (const hub of served.splice(0).reverse()) await hub.close();
});

const hash = (label: string) => keccak256(stringToHex(label));
const lower = (address: Address) => address.toLowerCase() as Hex;

function event(block: number, logIndex: number, body: EventBody, contract: Hex = lower(ESCROW)): ChainEvent {
  return {
    blockNumber: block,
    blockHash: hash(`block ${block}`),
    logIndex,
    txHash: hash(`tx ${block}/${logIndex}`),
    address: contract,
    ...body,
  } as ChainEvent;
}

const cursor = (number: number) => ({ number, hash: hash(`block ${number}`) });

async function setup() {
  const events = createIndexerEvents();
  const hub = await serveHub({ events });
  served.push(hub);
  const merchant = privateKeyToAccount(generatePrivateKey());
  const payer = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());
  const m = await signedIn(hub, merchant);
  const p = await signedIn(hub, payer);
  return { events, hub, merchant, payer, stranger, m, p };
}

describe("status pushes", () => {
  it("tells merchant and payer of an invoice's life, and both sides of a transfer", async () => {
    const { events, merchant, payer, stranger, m, p } = await setup();
    const id = hash("invoice 1");
    events.hooks.onBatch({
      cursor: cursor(10),
      final: false,
      events: [
        event(10, 0, { kind: "Transfer", from: lower(payer.address), to: lower(ESCROW), value: 1_200n }, lower(TOKEN)),
        event(10, 1, {
          kind: "InvoicePaid",
          id,
          merchant: lower(merchant.address),
          payer: lower(payer.address),
          token: lower(TOKEN),
          amount: 1_000n,
          tip: 200n,
        }),
      ],
    });
    events.hooks.onBatch({
      cursor: cursor(11),
      final: false,
      events: [
        event(11, 0, { kind: "PaymentCaptured", id, amount: 600n, cashback: 6n }),
        event(11, 1, { kind: "PaymentRefunded", id, amount: 100n }),
        event(11, 2, { kind: "PaymentDisputed", id }),
        event(11, 3, { kind: "DisputeResolved", id, toPayer: 300n, toMerchant: 100n, cashback: 1n }),
        event(
          11,
          4,
          { kind: "Transfer", from: lower(merchant.address), to: lower(payer.address), value: 5n },
          lower(TOKEN),
        ),
        // Mints, burns and strangers concern nobody signed in here.
        event(11, 5, { kind: "Transfer", from: zeroAddress, to: lower(payer.address), value: 5n }, lower(TOKEN)),
        event(11, 6, { kind: "Transfer", from: lower(stranger.address), to: lower(ESCROW), value: 5n }, lower(TOKEN)),
      ],
    });
    await waitFor(() => m.of("status").length === 6 && p.of("status").length === 7);
    const paid = m.of("status")[0];
    expect(paid.status).toEqual({
      state: "paid",
      tx: hash("tx 10/1"),
      block: 10,
      blockHash: hash("block 10"),
      logIndex: 1,
      contract: ESCROW,
      invoice: id,
      merchant: merchant.address,
      payer: payer.address,
      token: TOKEN,
      amount: "1000",
      tip: "200",
    });
    expect(m.of("status").map((frame) => frame.status.state)).toEqual([
      "paid",
      "captured",
      "refunded",
      "disputed",
      "resolved",
      "transfer",
    ]);
    expect(p.of("status").map((frame) => frame.status.state)).toEqual([
      "transfer",
      "paid",
      "captured",
      "refunded",
      "disputed",
      "resolved",
      "transfer",
    ]);
    expect(p.of("status")[0].status).toMatchObject({ from: payer.address, to: ESCROW, token: TOKEN, amount: "1200" });
    expect(m.of("status")[1].status).toMatchObject({
      invoice: id,
      amount: "600",
      cashback: "6",
      merchant: merchant.address,
    });
    expect(m.of("status")[4].status).toMatchObject({ toPayer: "300", toMerchant: "100" });
    // Every one parses by the protocol's schema, and the seqs follow each other.
    for (const frame of [...m.of("status"), ...p.of("status")]) statusUpdateSchema.parse(frame.status);
    expect(p.of("status").map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("sends `reverted` for what a reorg removed, newest first, to whom it was told", async () => {
    const { events, merchant, payer, m, p } = await setup();
    const id = hash("invoice 2");
    const paid = event(20, 0, {
      kind: "InvoicePaid",
      id,
      merchant: lower(merchant.address),
      payer: lower(payer.address),
      token: lower(TOKEN),
      amount: 50n,
      tip: 0n,
    });
    events.hooks.onBatch({ cursor: cursor(20), final: false, events: [paid] });
    events.hooks.onBatch({
      cursor: cursor(21),
      final: false,
      events: [event(21, 0, { kind: "PaymentCaptured", id, amount: 50n, cashback: 0n })],
    });
    events.hooks.onBatch({
      cursor: cursor(22),
      final: false,
      events: [
        event(
          22,
          0,
          { kind: "Transfer", from: lower(payer.address), to: lower(merchant.address), value: 9n },
          lower(TOKEN),
        ),
      ],
    });
    await waitFor(() => m.of("status").length === 3);
    // The chain goes back to block 20: the capture (21) and the transfer (22) never happened.
    events.hooks.onReorg({ cursor: cursor(20), from: cursor(22), blocks: 2, keys: [] });
    await waitFor(() => m.of("status").length === 5 && p.of("status").length === 5);
    const reverted = m.of("status").slice(3);
    expect(reverted.map((frame) => [frame.status.state, frame.status.reverts, frame.status.block])).toEqual([
      ["reverted", "transfer", 22],
      ["reverted", "captured", 21],
    ]);
    expect(reverted[1].status).toMatchObject({
      invoice: id,
      amount: "50",
      reorg: { from: { number: 22, hash: hash("block 22") }, to: { number: 20, hash: hash("block 20") } },
    });
    // The replacement block 21 is told again, as new.
    events.hooks.onBatch({
      cursor: cursor(21),
      final: false,
      events: [event(21, 0, { kind: "PaymentVoided", id, amount: 50n })],
    });
    await waitFor(() => m.of("status").length === 6);
    expect(m.of("status")[5].status).toMatchObject({ state: "voided", block: 21 });
    // A second reorg at the same height reverts only what is still there.
    events.hooks.onReorg({ cursor: cursor(20), from: cursor(21), blocks: 1, keys: [] });
    await waitFor(() => m.of("status").length === 7);
    expect(m.of("status")[6].status).toMatchObject({ state: "reverted", reverts: "voided" });
  });

  it("keeps statuses for a party that is offline, for its next sync", async () => {
    const { events, hub, merchant, payer, m, p } = await setup();
    await p.close();
    events.hooks.onBatch({
      cursor: cursor(30),
      final: true,
      events: [
        event(
          30,
          0,
          { kind: "Transfer", from: lower(merchant.address), to: lower(payer.address), value: 77n },
          lower(TOKEN),
        ),
      ],
    });
    await waitFor(() => m.of("status").length === 1);
    const back = await signedIn(hub, payer);
    expect(back.frames.at(-1)).toMatchObject({ type: "welcome", lastSeq: 1 });
    await back.request({ op: "sync", after: 0 });
    expect(back.of("status")).toMatchObject([{ seq: 1, status: { state: "transfer", amount: "77" } }]);
  });

  it("after a restart, still reverts what it told and does not tell a replayed block again", async () => {
    const events = createIndexerEvents();
    const first = await serveHub({ events });
    served.push(first);
    const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    const a = await signedIn(first, alice);
    await signedIn(first, bob);
    const transfer = event(
      40,
      0,
      { kind: "Transfer", from: lower(alice.address), to: lower(bob.address), value: 3n },
      lower(TOKEN),
    );
    events.hooks.onBatch({ cursor: cursor(40), final: false, events: [transfer] });
    await waitFor(() => a.of("status").length === 1);
    await first.stop();

    const again = createIndexerEvents();
    const second = await serveHub({ events: again, dataDir: first.dataDir });
    served.push(second);
    const a2 = await signedIn(second, alice);
    // An indexer rebuilt from scratch replays block 40: nothing new to tell.
    again.hooks.onBatch({ cursor: cursor(40), final: false, events: [transfer] });
    again.hooks.onBatch({ cursor: cursor(41), final: false, events: [] });
    await a2.request({ op: "ping" });
    again.hooks.onReorg({ cursor: cursor(39), from: cursor(41), blocks: 2, keys: [] });
    await waitFor(() => a2.of("status").length === 1);
    expect(a2.of("status")[0]).toMatchObject({ seq: 2, status: { state: "reverted", reverts: "transfer", block: 40 } });
  });
});
