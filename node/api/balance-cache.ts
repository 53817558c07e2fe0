/**
 * Serialized `GET /v1/accounts/:address` answers, dropped whole whenever the indexer commits a batch
 * or rolls back: the hot route then costs one Map lookup. A read that started before a batch and
 * finishes after it must not put its (old) answer in: `generation` tells.
 */
export class ResponseCache {
  private readonly entries = new Map<string, string>();
  private current = 0;

  private readonly maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  /** Note the generation before reading the store; pass it to `set`. */
  get generation(): number {
    return this.current;
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: string, generation: number): void {
    if (generation !== this.current) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
  }

  invalidate(): void {
    this.current++;
    this.entries.clear();
  }
}
