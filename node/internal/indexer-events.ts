import type { Cursor } from "../store/block.ts";
import type { RollbackReturnType } from "../store/rollback.ts";
import type { ChainEvent } from "./chain-events.ts";

/** Called after each committed batch and each rollback. */
export interface IndexerHooks {
  onBatch?(batch: { cursor: Cursor; events: readonly ChainEvent[]; final: boolean }): void;
  onReorg?(reorg: RollbackReturnType & { from: Cursor }): void;
}

type Listener = Required<IndexerHooks>;

/** Fans the indexer's hooks out to whoever listens: the API's stream, caches and metrics, the hub's statuses, the progress line. */
export interface IndexerEvents {
  /** Give these to `createIndexer({ hooks })`. */
  readonly hooks: Listener;
  /** Listens until the returned function is called. */
  listen(listener: Partial<Listener>): () => void;
}

/**
 * Creates the fan-out between one indexer and the parts that follow it. Create it first, pass `hooks`
 * to the indexer and the whole object to `createApiServer` and `createChatHub`.
 *
 * @example
 * const events = createIndexerEvents();
 * const indexer = createIndexer({ ..., hooks: events.hooks });
 * const app = await createApiServer({ ..., indexer, events });
 */
export function createIndexerEvents(): IndexerEvents {
  const listeners = new Set<Partial<Listener>>();
  return {
    hooks: {
      onBatch(batch) {
        for (const listener of listeners) listener.onBatch?.(batch);
      },
      onReorg(reorg) {
        for (const listener of listeners) listener.onReorg?.(reorg);
      },
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
