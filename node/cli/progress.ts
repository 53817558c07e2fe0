import type { IndexerStatus } from "../indexer/create-indexer.ts";
import type { IndexerEvents } from "../internal/indexer-events.ts";
import type { StatusLine } from "./log.ts";

export interface ProgressParameters {
  indexer: { status(): IndexerStatus };
  events: IndexerEvents;
  /** The deploy block: where the count of blocks starts. */
  fromBlock: number;
  status: StatusLine;
  intervalMs?: number;
  now?: () => number;
}

/**
 * The backfill's progress on a terminal, redrawn a few times a second while the indexer backfills:
 * `backfill [#######.......] 48.2%  block 9,640/20,000  18,204 events/s  ETA 3s`. Rates count from
 * when this process started backfilling, so a resumed backfill shows its own speed.
 *
 * @example
 * const stop = showProgress({ indexer, events, fromBlock, status: createStatusLine(process.stdout) });
 */
export function showProgress({
  indexer,
  events,
  fromBlock,
  status,
  intervalMs = 200,
  now = () => performance.now(),
}: ProgressParameters): () => void {
  let started: { at: number; block: number; events: number } | undefined;
  let indexed = 0;
  // The indexer's status shows the cursor of its last step; a backfill step is many batches long.
  let latest: IndexerStatus["cursor"];
  const unlisten = events.listen({
    onBatch(batch) {
      indexed += batch.events.length;
      latest = batch.cursor;
    },
  });
  const timer = setInterval(() => {
    const reported = indexer.status();
    const cursor = latest !== undefined && latest.number > (reported.cursor?.number ?? -1) ? latest : reported.cursor;
    const state = { ...reported, cursor };
    if (state.phase !== "backfill" || state.cursor === undefined || state.finalized === undefined) {
      status.clear();
      return;
    }
    started ??= { at: now(), block: state.cursor.number, events: indexed };
    status.set(progressLine({ state, fromBlock, started, indexed, now: now() }));
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    unlisten();
    status.clear();
  };
}

function progressLine({
  state,
  fromBlock,
  started,
  indexed,
  now,
}: {
  state: IndexerStatus;
  fromBlock: number;
  started: { at: number; block: number; events: number };
  indexed: number;
  now: number;
}): string {
  const cursor = state.cursor?.number ?? fromBlock - 1;
  const target = state.finalized ?? cursor;
  const total = Math.max(1, target - fromBlock + 1);
  const done = Math.min(total, Math.max(0, cursor - fromBlock + 1));
  const share = done / total;
  const seconds = Math.max(0.001, (now - started.at) / 1000);
  const blocksPerSecond = (cursor - started.block) / seconds;
  const eventsPerSecond = Math.round((indexed - started.events) / seconds);
  const eta = blocksPerSecond > 0 ? formatDuration((target - cursor) / blocksPerSecond) : "…";
  const width = 20;
  const bar = "#".repeat(Math.round(share * width)).padEnd(width, ".");
  const n = (value: number) => value.toLocaleString("en-US");
  return `backfill [${bar}] ${(share * 100).toFixed(1)}%  block ${n(cursor)}/${n(target)}  ${n(eventsPerSecond)} events/s  ETA ${eta}`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "…";
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3_600)}h${String(Math.floor((seconds % 3_600) / 60)).padStart(2, "0")}m`;
}
