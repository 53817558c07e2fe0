// Saving the chat state: after each inbox entry (a batch of them is one write, 50 ms later), when asked,
// and on close. Writes never overlap and go in order, a failed one does not stop the next, and each is
// followed by an `ack` to the hub, so that a client that loses its state resumes where this one stopped.
import { type ChatState, type ChatStateStore, trim } from "./chat-state.ts";

export interface CreateChatStateSaverParameters {
  /** The connection's state, saved as it is at each write. */
  state: ChatState;
  /** Where it goes; without a store a save only moves `state.lastSeq` and acks. */
  store?: ChatStateStore | undefined;
  /** The last inbox seq handled: the cursor a save records. */
  handled(): number;
  /** Tells the hub how far this client has read; its failure is ignored (the next save acks again). */
  ack(seq: number): Promise<unknown>;
  /** How long `schedule` gathers entries into one write (default 50 ms). */
  delayMs?: number | undefined;
}

export interface ChatStateSaver {
  /** Saves soon; calls meanwhile make one write. Does nothing without a store. */
  schedule(): void;
  /** Saves now, after the writes under way; rejects if this write fails. */
  save(): Promise<void>;
  /** Cancels a scheduled save and waits for the writes under way, whatever their outcome. */
  settle(): Promise<void>;
}

/**
 * @example
 * const saver = createChatStateSaver({ state, store, handled: () => inbox.handled,
 *   ack: (seq) => socket.request({ op: "ack", seq }) });
 * const inbox = createInbox({ start, handle, onHandled: () => saver.schedule() });
 */
export function createChatStateSaver({
  state,
  store,
  handled,
  ack,
  delayMs = 50,
}: CreateChatStateSaverParameters): ChatStateSaver {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  function save() {
    cancel();
    const seq = handled();
    writing = writing
      .catch(() => {})
      .then(async () => {
        state.lastSeq = seq;
        Object.assign(state, trim(state));
        await store?.save(state);
        if (seq > 0) await ack(seq).catch(() => {});
      });
    return writing;
  }

  return {
    schedule() {
      if (timer !== undefined || store === undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void save().catch(() => {});
      }, delayMs);
    },
    save,
    async settle() {
      cancel();
      await writing.catch(() => {});
    },
  };
}
