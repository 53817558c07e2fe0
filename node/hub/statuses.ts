// Status pushes: the indexer's batches and reorgs, told to the people they concern. Each event of
// interest becomes a `status` entry in the inboxes of its parties (merchant and payer of an invoice, sender
// and receiver of a transfer) that have ever signed in here. Statuses of blocks that may still be
// reorganised are also kept under `r:` (on disk, so that a restart does not forget them); a reorg that
// removes one sends the same parties a `reverted` status. `meta:status` remembers the last block told,
// so that an indexer rebuilt from scratch does not tell everyone their history again.
import { getAddress, zeroAddress } from "viem";
import type { StatusUpdate } from "../../protocol/chat/frames.ts";
import type { ChainEvent } from "../internal/chain-events.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import { createSerial } from "../internal/serial.ts";
import { createInvoiceParties } from "../store/invoice-parties.ts";
import type { Store } from "../store/open-store.ts";
import { appendToInboxes, type HubContext, type InboxEntry } from "./context.ts";
import { statusFrame } from "./inboxes.ts";
import { pendingStatusKey, pendingStatusPrefix, prefixEnd, statusCursorKey } from "./keys.ts";
import type { WriteOp } from "./writer.ts";

interface Pending {
  status: StatusUpdate;
  /** Lowercase addresses it was written for. */
  to: string[];
}

export interface StatusPusherParameters {
  events: IndexerEvents;
  /** The indexer's store, read to find whose invoice an event names only by id. */
  store: Store | undefined;
  /** Statuses of this many blocks below the newest are kept for reverts. */
  reorgWindow: number;
}

/** Listens to `events` until `stop`, which waits for what is being written. */
export async function startStatusPusher(ctx: HubContext, { events, store, reorgWindow }: StatusPusherParameters) {
  const stored = await ctx.db.get(statusCursorKey);
  let told: number | undefined = stored === undefined ? undefined : Number(stored);
  const parties = createInvoiceParties(store);
  const run = createSerial();
  const enqueue = (task: () => Promise<void>) => {
    run(task).catch((error: unknown) => ctx.log.error({ err: error }, "hub: failed to push statuses"));
  };

  /** The status an event makes and whom it concerns, or undefined for events nobody is told of. */
  async function describe(event: ChainEvent): Promise<Pending | undefined> {
    const where = {
      tx: event.txHash,
      block: event.blockNumber,
      blockHash: event.blockHash,
      logIndex: event.logIndex,
      contract: getAddress(event.address),
    };
    if (event.kind === "Transfer") {
      if (event.from === zeroAddress || event.to === zeroAddress) return undefined;
      const status: StatusUpdate = {
        state: "transfer",
        ...where,
        token: getAddress(event.address),
        from: getAddress(event.from),
        to: getAddress(event.to),
        amount: event.value.toString(),
      };
      return { status, to: [event.from, event.to] };
    }
    if (event.kind === "InvoicePaid") {
      parties.remember(event.id, { merchant: event.merchant, payer: event.payer });
    }
    if (!("id" in event)) return undefined;
    const found = await parties.of(event.id);
    if (found === undefined) return undefined;
    const invoice = {
      ...where,
      invoice: event.id,
      merchant: getAddress(found.merchant),
      payer: getAddress(found.payer),
    };
    let status: StatusUpdate;
    switch (event.kind) {
      case "InvoicePaid":
        status = {
          state: "paid",
          ...invoice,
          token: getAddress(event.token),
          amount: event.amount.toString(),
          tip: event.tip.toString(),
        };
        break;
      case "PaymentCaptured":
        status = {
          state: "captured",
          ...invoice,
          amount: event.amount.toString(),
          cashback: event.cashback.toString(),
        };
        break;
      case "PaymentVoided":
      case "PaymentReclaimed":
      case "PaymentRefunded": {
        const state = (
          { PaymentVoided: "voided", PaymentReclaimed: "reclaimed", PaymentRefunded: "refunded" } as const
        )[event.kind];
        status = { state, ...invoice, amount: event.amount.toString() };
        break;
      }
      case "PaymentDisputed":
        status = { state: "disputed", ...invoice };
        break;
      case "DisputeResolved":
        status = {
          state: "resolved",
          ...invoice,
          toPayer: event.toPayer.toString(),
          toMerchant: event.toMerchant.toString(),
          cashback: event.cashback.toString(),
        };
        break;
      default:
        return undefined;
    }
    return { status, to: [found.merchant, found.payer] };
  }

  function entriesFor(pending: Pending): InboxEntry[] {
    const json = JSON.stringify(pending.status);
    return pending.to.map((address) => ({
      address,
      value: `s${json}`,
      frame: (seq: number) => statusFrame(seq, json),
    }));
  }

  async function write(entries: InboxEntry[], ops: WriteOp[]) {
    await ctx.inboxes.load(entries.map((entry) => entry.address));
    await appendToInboxes(ctx, entries, ops);
  }

  const stop = events.listen({
    onBatch: (batch) => {
      if (batch.events.length === 0) return;
      enqueue(async () => {
        const entries: InboxEntry[] = [];
        const ops: WriteOp[] = [];
        for (const event of batch.events) {
          if (told !== undefined && event.blockNumber <= told) continue;
          const pending = await describe(event);
          if (pending === undefined) continue;
          pending.to = [...new Set(pending.to.map((address) => address.toLowerCase()))].filter((address) =>
            ctx.known.has(address),
          );
          if (pending.to.length === 0) continue;
          entries.push(...entriesFor(pending));
          if (!batch.final) {
            ops.push({
              type: "put",
              key: pendingStatusKey(event.blockNumber, event.logIndex),
              value: JSON.stringify(pending),
            });
          }
        }
        const floor = batch.cursor.number - reorgWindow;
        if (floor > 0) {
          for await (const key of ctx.db.keys({ gte: pendingStatusPrefix, lt: pendingStatusKey(floor, 0) })) {
            ops.push({ type: "del", key });
          }
        }
        told = Math.max(told ?? 0, batch.cursor.number);
        ops.push({ type: "put", key: statusCursorKey, value: String(told) });
        await write(entries, ops);
      });
    },
    onReorg: ({ cursor, from }) =>
      enqueue(async () => {
        const removed = await ctx.db
          .iterator({ gte: pendingStatusKey(cursor.number + 1, 0), lt: prefixEnd(pendingStatusPrefix) })
          .all();
        const reorg = {
          from: { number: from.number, hash: from.hash },
          to: { number: cursor.number, hash: cursor.hash },
        };
        const entries: InboxEntry[] = [];
        const ops: WriteOp[] = [];
        // Newest first: the reverse of the order they were told in.
        for (const [key, value] of removed.reverse()) {
          const pending = JSON.parse(value) as Pending;
          const { state } = pending.status;
          if (state !== "reverted") {
            entries.push(
              ...entriesFor({
                status: { ...pending.status, state: "reverted", reverts: state, reorg },
                to: pending.to,
              }),
            );
          }
          ops.push({ type: "del", key });
        }
        told = cursor.number;
        ops.push({ type: "put", key: statusCursorKey, value: String(told) });
        await write(entries, ops);
      }),
  });

  return {
    async stop() {
      stop();
      await run(() => {}); // everything queued before has settled
    },
  };
}
