// Reading the inbox from the hub: `sync` from the last seq taken until the hub says it is at its end,
// while live pushes keep arriving (`accept`). Both feed one `createInbox`, which handles each seq once,
// in order; a push past a gap means something was missed, so the inbox is read again from where it is.
import type { ClientFrameInput } from "../../protocol/chat/frames.ts";
import { type CreateInboxParameters, createInbox } from "./inbox.ts";
import type { RawFrame } from "./openHubSocket.ts";

export interface CreateInboxSyncParameters extends CreateInboxParameters {
  /** Sends a frame to the hub and resolves with its answer (a signed-in hub socket's `request`). */
  request(frame: ClientFrameInput): Promise<RawFrame>;
  /** After a sync, once every entry it brought is handled: the inbox is read up to `lastSeq`. */
  onSynced?(lastSeq: number): void | Promise<void>;
}

export interface InboxSync {
  /** Takes a frame pushed by the hub; anything but an inbox entry is ignored, and all once paused. */
  accept(frame: RawFrame): void;
  /** Reads the inbox after the last seq taken until the hub is at its end, then calls `onSynced`. */
  sync(): Promise<void>;
  /** Takes no more entries (newer ones wait for the next connection); resolves once those taken are handled. */
  pause(): Promise<void>;
  /** Resolves once every entry taken so far is handled. */
  idle(): Promise<void>;
  /** The highest seq handled. */
  readonly handled: number;
}

/** How many times a sync asks again for seqs that are still missing before it gives up on them. */
const GAP_ROUNDS = 3;

/**
 * @example
 * const inbox = createInboxSync({ start: state.lastSeq, request: socket.request,
 *   handle: async (seq, frame) => show(await read(seq, frame)), onSynced: (lastSeq) => done(lastSeq) });
 * onFrame = (frame) => inbox.accept(frame);
 * await inbox.sync();
 */
export function createInboxSync({ request, onSynced, ...inboxParameters }: CreateInboxSyncParameters): InboxSync {
  const entries = createInbox(inboxParameters);
  let running = false;
  // A push past a gap reads the inbox again only once a first sync is done: until then, that sync will.
  let synced = false;
  let paused = false;

  async function sync() {
    running = true;
    try {
      let from = entries.taken;
      for (let gapRounds = 0; ; ) {
        const answer = await request({ op: "sync", after: from });
        const lastSeq = Number(answer.lastSeq);
        if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) break;
        // More to read, from further on (a hub that says "more" without moving on is not followed).
        if (answer.more === true && lastSeq > from) {
          from = lastSeq;
          continue;
        }
        // The hub's inbox ends below what this client had handled (it lost data, or this state is from
        // another hub at the same address): the hub's word is all there is; go on from there.
        if (lastSeq < entries.taken && entries.waiting === 0) entries.rewind(lastSeq);
        if (entries.waiting === 0 || ++gapRounds > GAP_ROUNDS) break;
        from = entries.taken;
      }
      entries.dropWaiting();
    } finally {
      running = false;
    }
    await entries.idle();
    synced = true;
    await onSynced?.(entries.handled);
  }

  return {
    accept(frame) {
      if (paused || !entries.accept(frame)) return;
      // The hub skips nothing on purpose: read the inbox again from where we are.
      if (entries.waiting > 0 && !running && synced) void sync().catch(() => {});
    },
    sync,
    async pause() {
      paused = true;
      entries.dropWaiting();
      await entries.idle();
    },
    idle: () => entries.idle(),
    get handled() {
      return entries.handled;
    },
  };
}
