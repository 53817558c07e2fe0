import { Gauge, type Registry } from "prom-client";
import type { Relayer, RelayerStatus } from "./create-relayer.ts";

/**
 * The relayer's state as Prometheus gauges on `registry` (the one `/metrics` serves), read from
 * `relayer.status()` at each scrape: its nonce against the chain's, the transactions waiting to be
 * mined, what the watchdog has done, and the hour's budget.
 *
 * @example
 * const registry = new Registry();
 * registerRelayerMetrics(relayer, registry);
 * const app = await createApiServer({ ..., registry });
 */
export function registerRelayerMetrics(relayer: Relayer, registry: Registry) {
  const gauge = (name: string, help: string, read: (status: RelayerStatus) => number | bigint | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read(relayer.status());
        if (value === null) this.reset();
        else this.set(Number(value));
      },
    });
  gauge("gram_relayer_next_nonce", "The nonce the relayer's next transaction gets", (s) => s.nextNonce);
  gauge("gram_relayer_chain_nonce", "The chain's count of the relayer's mined transactions", (s) => s.chainNonce);
  gauge("gram_relayer_pending_transactions", "Relayer transactions waiting to be mined", (s) => s.pending);
  gauge("gram_relayer_oldest_pending_seconds", "How long the oldest of them has waited", (s) => s.oldestPendingSeconds);
  gauge(
    "gram_relayer_rebroadcasts",
    "Dropped transactions the watchdog sent again, since start",
    (s) => s.rebroadcasts,
  );
  gauge(
    "gram_relayer_replacements",
    "Stuck transactions replaced with a higher fee, since start",
    (s) => s.replacements,
  );
  gauge(
    "gram_relayer_gaps_closed",
    "Nonces closed with a zero-value transfer to itself, since start",
    (s) => s.gapsClosed,
  );
  gauge("gram_relayer_hour_transactions", "Transactions relayed in the last hour", (s) => s.budget.transactions);
  gauge("gram_relayer_hour_wei", "Wei committed to gas in the last hour (gas limit × max fee)", (s) => s.budget.wei);
}
