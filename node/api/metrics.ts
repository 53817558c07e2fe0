import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { IndexerStatus } from "../indexer/create-indexer.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import type { Store } from "../store/open-store.ts";
import { readEventCount } from "../store/read-state.ts";

export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<"method" | "route" | "status">;
  streamConnections: Gauge;
  streamMessages: Counter<"type">;
  /** Stops listening to the indexer. */
  close(): void;
}

export interface CreateApiMetricsParameters {
  store: Store;
  indexer: { status(): IndexerStatus };
  events: IndexerEvents | undefined;
  /** A registry to add to (the node's, holding its RPC error counter); a fresh one otherwise. */
  registry?: Registry | undefined;
}

/**
 * The API's Prometheus metrics: the indexer's head, indexed block, lag, events, batches and reorgs;
 * request latency per route; stream connections and messages; and Node's process metrics.
 */
export function createApiMetrics({
  store,
  indexer,
  events,
  registry = new Registry(),
}: CreateApiMetricsParameters): ApiMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "gram_" });
  const blockGauge = (name: string, help: string, read: (status: IndexerStatus) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const value = read(indexer.status());
        if (value === undefined) this.reset();
        else this.set(value);
      },
    });
  blockGauge("gram_head_block", "The chain's head block as the indexer last saw it", (s) => s.head);
  blockGauge("gram_indexed_block", "The last block whose effects are in the store", (s) => s.cursor?.number);
  blockGauge("gram_finalized_block", "The newest block the indexer treats as final", (s) => s.finalized);
  blockGauge("gram_head_lag_blocks", "Head block minus indexed block", (s) =>
    s.head === undefined || s.cursor === undefined ? undefined : Math.max(0, s.head - s.cursor.number),
  );
  blockGauge("gram_head_age_seconds", "Seconds since the indexer last read the chain's head", (s) =>
    s.headAt === undefined ? undefined : (Date.now() - s.headAt) / 1000,
  );
  blockGauge("gram_stalled", "1 while the indexer has made no progress for longer than its stall window", (s) =>
    s.stalled ? 1 : 0,
  );
  new Gauge({
    name: "gram_events_indexed",
    help: "Events applied to the store since it was created",
    registers,
    async collect() {
      this.set(await readEventCount(store));
    },
  });
  const batches = new Counter({ name: "gram_batches_total", help: "Batches committed by the indexer", registers });
  const indexed = new Counter({
    name: "gram_events_indexed_total",
    help: "Events indexed by this process",
    registers,
  });
  const reorgs = new Counter({ name: "gram_reorgs_total", help: "Reorgs rolled back", registers });
  const reorgedBlocks = new Counter({ name: "gram_reorged_blocks_total", help: "Blocks undone by reorgs", registers });
  const stop = events?.listen({
    onBatch({ events: applied }) {
      batches.inc();
      if (applied.length > 0) indexed.inc(applied.length);
    },
    onReorg({ blocks }) {
      reorgs.inc();
      reorgedBlocks.inc(blocks);
    },
  });
  return {
    registry,
    requestDuration: new Histogram({
      name: "gram_http_request_duration_seconds",
      help: "HTTP request latency by method, route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    streamConnections: new Gauge({ name: "gram_stream_connections", help: "Open /v1/stream connections", registers }),
    streamMessages: new Counter({
      name: "gram_stream_messages_total",
      help: "Messages sent on /v1/stream by type",
      labelNames: ["type"],
      registers,
    }),
    close: () => stop?.(),
  };
}
