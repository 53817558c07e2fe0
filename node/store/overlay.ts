import type { Store } from "./open-store.ts";

/**
 * Pending writes over the store, so that the events of one batch compose: a transfer reads the
 * balance the previous transfer of the same batch wrote. Reads are synchronous and must be loaded
 * first (`load`, one `getMany` per round): applying events never waits on the disk, and a read of a
 * key nobody loaded is a bug, not a silent zero.
 */
export class Overlay {
  /** Values read from the store before this batch (null: absent). */
  readonly previous = new Map<string, string | null>();
  /** What the batch writes (null: delete). */
  readonly writes = new Map<string, string | null>();

  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  /** Reads from the store every key not loaded or written yet. */
  async load(keys: Iterable<string>): Promise<void> {
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      if (!this.previous.has(key) && !this.writes.has(key)) missing.push(key);
    }
    if (missing.length === 0) return;
    const values = await this.store.db.getMany(missing);
    for (let i = 0; i < missing.length; i++) this.previous.set(missing[i] as string, values[i] ?? null);
  }

  get(key: string): string | undefined {
    const written = this.writes.get(key);
    if (written !== undefined) return written ?? undefined;
    const read = this.previous.get(key);
    if (read !== undefined) return read ?? undefined;
    throw new Error(`overlay: read of key ${key} that was never loaded (a prefetch bug)`);
  }

  set(key: string, value: string | null): void {
    this.writes.set(key, value);
  }
}
