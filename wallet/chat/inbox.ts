// The client's side of an inbox: entries arrive from a sync and from live pushes, which may overlap and
// interleave (a push can come before the sync has resent older entries). Each seq is handled once, in
// order: an entry waits until every lower seq is handled; a repeat is dropped.
import type { RawFrame } from "./openHubSocket.ts";

export interface Inbox {
  /** Takes an inbox frame (`message`, `status`, `group` with a seq); returns false for anything else. */
  accept(frame: RawFrame): boolean;
  /** The highest seq taken for handling. */
  readonly taken: number;
  /** The highest seq handled. */
  readonly handled: number;
  /** Entries waiting behind a missing seq. */
  readonly waiting: number;
  /** Forgets the waiting entries (a sync will bring them again). */
  dropWaiting(): void;
  /** Starts over from `seq` once what is under way is handled: the hub said its inbox ends there. */
  rewind(seq: number): void;
  /** Resolves once every entry taken so far is handled. */
  idle(): Promise<void>;
}

export interface CreateInboxParameters {
  /** The last seq handled before. */
  start: number;
  /** Handles one entry; the next waits for it. */
  handle(seq: number, frame: RawFrame): Promise<void>;
  /** After each entry is handled. */
  onHandled?(seq: number): void;
}

const ENTRY_TYPES = new Set(["message", "status", "group"]);

export function createInbox({ start, handle, onHandled }: CreateInboxParameters): Inbox {
  let taken = start;
  let handled = start;
  const waiting = new Map<number, RawFrame>();
  let queue: Promise<void> = Promise.resolve();

  function drain() {
    while (waiting.has(taken + 1)) {
      const seq = taken + 1;
      const frame = waiting.get(seq) as RawFrame;
      waiting.delete(seq);
      taken = seq;
      queue = queue.then(async () => {
        await handle(seq, frame);
        handled = seq;
        onHandled?.(seq);
      });
    }
  }

  return {
    accept(frame) {
      if (!ENTRY_TYPES.has(frame.type)) return false;
      const seq = frame.seq;
      if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) return false;
      if (seq > taken && !waiting.has(seq)) {
        waiting.set(seq, frame);
        drain();
      }
      return true;
    },
    get taken() {
      return taken;
    },
    get handled() {
      return handled;
    },
    get waiting() {
      return waiting.size;
    },
    dropWaiting() {
      waiting.clear();
    },
    rewind(seq) {
      waiting.clear();
      taken = seq;
      queue = queue.then(() => {
        handled = seq;
      });
    },
    idle: () => queue,
  };
}
