import type { ClassicLevel } from "classic-level";
import type { Log } from "../internal/logger.ts";

export type HubDb = ClassicLevel<string, string>;
export type WriteOp = { type: "put"; key: string; value: string } | { type: "del"; key: string };

interface Write {
  ops: WriteOp[];
  /** Run right after the batch holding `ops` is on disk, in the order the writes were made. */
  committed?: (() => void) | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

export interface Writer {
  /**
   * Queues `ops` for the next atomic batch and settles once it is written. `committed` runs first,
   * synchronously and in write order: deliveries go there, so that they leave in seq order.
   */
  write(ops: WriteOp[], committed?: () => void): Promise<void>;
  /** Waits for everything queued. */
  flush(): Promise<void>;
}

export interface CreateWriterParameters {
  db: HubDb;
  /** fsync every batch. */
  sync: boolean;
  /** Called when a batch fails: seqs handed out for it were never written. */
  onFailure(error: unknown): void;
  log: Log;
}

/**
 * Group commit: writes made while a batch is being written go together into the next one, so that many
 * senders cost one LevelDB batch, not one each, and the order of writes is the order of batches.
 */
export function createWriter({ db, sync, onFailure, log }: CreateWriterParameters): Writer {
  let queued: Write[] = [];
  let running: Promise<void> | undefined;

  async function drain() {
    while (queued.length > 0) {
      const writes = queued;
      queued = [];
      try {
        await db.batch(
          writes.flatMap((write) => write.ops),
          { sync },
        );
      } catch (error) {
        onFailure(error);
        for (const write of writes) write.reject(error);
        continue;
      }
      for (const write of writes) {
        try {
          write.committed?.();
        } catch (error) {
          log.error({ err: error }, "hub: delivering a committed write failed");
        }
        write.resolve();
      }
    }
    running = undefined;
  }

  return {
    write(ops, committed) {
      return new Promise<void>((resolve, reject) => {
        queued.push({ ops, committed, resolve, reject });
        running ??= drain();
      });
    },
    async flush() {
      while (running !== undefined) await running;
    },
  };
}
