// `/v1/stream`: clients subscribe to addresses and invoice ids and get each indexed event touching
// them as the indexer commits it (its onBatch hook), and `reverted` when a reorg removes one (onReorg).
// Events of blocks that may still be reorganised are kept in memory to say what was reverted.
import type { WebSocket } from "ws";
import {
  STREAM_LIMITS,
  type StreamClientMessage,
  type StreamEvent,
  type StreamServerMessage,
  streamClientMessageSchema,
} from "../../protocol/api.ts";
import type { ChainEvent } from "../internal/chain-events.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import type { Log } from "../internal/logger.ts";
import { createSerial } from "../internal/serial.ts";
import { createInvoiceParties, type InvoiceParties } from "../store/invoice-parties.ts";
import type { Store } from "../store/open-store.ts";
import { ApiError } from "./errors.ts";
import type { ApiMetrics } from "./metrics.ts";
import { addressSchema, got, invoiceIdSchema, parseInput } from "./params.ts";
import { checksum, type Depth, depthOf, streamEventJson } from "./serialize.ts";

/** A client whose unsent messages pile up past this is too slow to follow: it is disconnected. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const ZERO = "0x0000000000000000000000000000000000000000";

interface Client {
  socket: WebSocket;
  addresses: Set<string>;
  invoices: Set<string>;
}

interface Sent {
  event: StreamEvent;
  addresses: string[];
  invoice: string | undefined;
}

export interface StreamHubParameters {
  store: Store;
  events: IndexerEvents | undefined;
  depth: () => Depth;
  metrics: ApiMetrics;
  log: Log;
  /** Events of this many blocks below the cursor are remembered for `reverted` messages. */
  reorgWindow?: number;
}

export type StreamHub = ReturnType<typeof createStreamHub>;

export function createStreamHub({ store, events, depth, metrics, log, reorgWindow = 256 }: StreamHubParameters) {
  const clients = new Set<Client>();
  const byAddress = new Map<string, Set<Client>>();
  const byInvoice = new Map<string, Set<Client>>();
  /** Recent events, oldest first, for reverts. */
  let recent: Sent[] = [];
  const parties = createInvoiceParties(store);
  // Batches and reorgs are handled in the order the indexer reports them, one at a time.
  const run = createSerial();
  const enqueue = (task: () => Promise<void> | void) => {
    run(task).catch((error: unknown) => log.error({ err: error }, "stream: failed to publish"));
  };

  const stop = events?.listen({
    onBatch: (batch) => {
      if (batch.events.length === 0 && recent.length === 0) return;
      // Final blocks are never reverted: with nobody subscribed, a backfill batch needs no messages.
      if (batch.final && byAddress.size === 0 && byInvoice.size === 0) return;
      enqueue(async () => {
        for (const event of batch.events) {
          const sent = await describe(event);
          publish(sent, (json) => ({ type: "event", event: json, ...depthOf(json.block, depth()) }));
          if (!batch.final) recent.push(sent);
        }
        const floor = batch.cursor.number - reorgWindow;
        if (recent.length > 0 && (recent[0] as Sent).event.block < floor) {
          recent = recent.filter((sent) => sent.event.block >= floor);
        }
      });
    },
    onReorg: ({ cursor, from }) =>
      enqueue(() => {
        const reverted = recent.filter((sent) => sent.event.block > cursor.number);
        recent = recent.filter((sent) => sent.event.block <= cursor.number);
        const reorg = {
          from: { number: from.number, hash: from.hash },
          to: { number: cursor.number, hash: cursor.hash },
        };
        // Newest first: the reverse of the order they were announced in.
        for (const sent of reverted.reverse()) publish(sent, (json) => ({ type: "reverted", event: json, reorg }));
      }),
  });

  /** Who an event concerns: the accounts it moves money of or names, and its invoice. */
  async function describe(event: ChainEvent): Promise<Sent> {
    let invoiceParties: InvoiceParties | undefined;
    const addresses: string[] = [];
    switch (event.kind) {
      case "Transfer":
        addresses.push(event.from, event.to);
        break;
      case "AuthorizationUsed":
      case "AuthorizationCanceled":
        addresses.push(event.authorizer);
        break;
      case "InvoiceCanceled":
        addresses.push(event.merchant);
        break;
      case "MerchantWithdrew":
        addresses.push(event.merchant, event.to);
        break;
      case "FeesCollected":
        addresses.push(event.treasury);
        break;
      case "CreditClaimed":
        addresses.push(event.account, event.to);
        break;
      case "InvoicePaid":
        parties.remember(event.id, { merchant: event.merchant, payer: event.payer });
        addresses.push(event.merchant, event.payer);
        break;
      default: {
        invoiceParties = await parties.of(event.id);
        if (invoiceParties !== undefined) addresses.push(invoiceParties.merchant, invoiceParties.payer);
      }
    }
    return {
      event: streamEventJson(event, invoiceParties),
      addresses: addresses.filter((address) => address !== ZERO),
      invoice: "id" in event ? event.id : undefined,
    };
  }

  function publish(sent: Sent, message: (event: StreamEvent) => StreamServerMessage) {
    const targets = new Set<Client>();
    for (const address of sent.addresses) for (const client of byAddress.get(address) ?? []) targets.add(client);
    if (sent.invoice !== undefined) for (const client of byInvoice.get(sent.invoice) ?? []) targets.add(client);
    if (targets.size === 0) return;
    const built = message(sent.event);
    const text = JSON.stringify(built);
    for (const client of targets) send(client, text, built.type);
  }

  function send(client: Client, text: string, type: string) {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.socket.close(1013, "too slow: messages piled up");
      return;
    }
    client.socket.send(text);
    metrics.streamMessages.inc({ type });
  }

  function reply(client: Client, message: StreamServerMessage) {
    send(client, JSON.stringify(message), message.type);
  }

  function index(map: Map<string, Set<Client>>, key: string, client: Client, add: boolean) {
    let set = map.get(key);
    if (add) {
      if (set === undefined) {
        set = new Set();
        map.set(key, set);
      }
      set.add(client);
    } else if (set !== undefined) {
      set.delete(client);
      if (set.size === 0) map.delete(key);
    }
  }

  function handleMessage(client: Client, data: Buffer, isBinary: boolean) {
    if (isBinary) throw new ApiError("BAD_REQUEST", "expected a text frame holding JSON, got a binary frame");
    let json: unknown;
    try {
      json = JSON.parse(data.toString("utf8"));
    } catch {
      throw new ApiError("BAD_REQUEST", `${got(data.toString("utf8"))}, expected JSON`);
    }
    const result = streamClientMessageSchema.safeParse(json);
    if (!result.success) {
      throw new ApiError(
        "BAD_REQUEST",
        `${got(json)}, expected {"subscribe": {"addresses": [...], "invoices": [...]}} or {"unsubscribe": {...}} (at most ${STREAM_LIMITS.addresses} of each)`,
      );
    }
    const message: StreamClientMessage = result.data;
    const add = "subscribe" in message;
    const body = "subscribe" in message ? message.subscribe : message.unsubscribe;
    // Every item is checked before any is applied: a bad one changes nothing.
    const addresses = (body.addresses ?? []).map((address, i) => parseInput(addressSchema, address, `addresses.${i}`));
    const invoices = (body.invoices ?? []).map((id, i) => parseInput(invoiceIdSchema, id, `invoices.${i}`));
    if (add) {
      const total = new Set([...client.addresses, ...addresses]).size;
      const totalInvoices = new Set([...client.invoices, ...invoices]).size;
      if (total > STREAM_LIMITS.addresses || totalInvoices > STREAM_LIMITS.invoices) {
        throw new ApiError(
          "BAD_REQUEST",
          `a connection follows at most ${STREAM_LIMITS.addresses} addresses and ${STREAM_LIMITS.invoices} invoices`,
        );
      }
    }
    for (const address of addresses) {
      if (add) client.addresses.add(address);
      else client.addresses.delete(address);
      index(byAddress, address, client, add);
    }
    for (const id of invoices) {
      if (add) client.invoices.add(id);
      else client.invoices.delete(id);
      index(byInvoice, id, client, add);
    }
    reply(client, {
      type: "subscribed",
      addresses: [...client.addresses].map(checksum),
      invoices: [...client.invoices],
    });
  }

  return {
    /** Serves one `/v1/stream` connection. */
    connect(socket: WebSocket) {
      const client: Client = { socket, addresses: new Set(), invoices: new Set() };
      clients.add(client);
      metrics.streamConnections.inc();
      socket.on("message", (data: Buffer, isBinary: boolean) => {
        try {
          handleMessage(client, data, isBinary);
        } catch (error) {
          const { code, shortMessage } = error instanceof ApiError ? error : new ApiError("INTERNAL", "internal error");
          if (!(error instanceof ApiError)) log.error({ err: error }, "stream: message failed");
          reply(client, { type: "error", error: { code, message: shortMessage } });
        }
      });
      socket.on("error", () => socket.terminate());
      socket.on("close", () => {
        clients.delete(client);
        metrics.streamConnections.dec();
        for (const address of client.addresses) index(byAddress, address, client, false);
        for (const id of client.invoices) index(byInvoice, id, client, false);
      });
    },
    /** Stops listening and waits for what is being published. */
    async close() {
      stop?.();
      await run(() => {}); // everything queued before has settled
      for (const client of clients) client.socket.close(1001, "server shutting down");
    },
  };
}
