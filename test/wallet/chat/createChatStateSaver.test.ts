// Saving the chat state on its own (createChatStateSaver), with an in-memory store: entries handled in a
// burst make one write, each write records the cursor and acks it, a failed write does not stop the next,
// and a save without a store still moves the cursor.
import { describe, expect, it } from "vitest";
import {
  CHAT_STATE_LIMITS,
  type ChatState,
  type ChatStateStore,
  emptyChatState,
  memoryChatStateStore,
} from "../../../wallet/chat/chat-state.ts";
import { createChatStateSaver } from "../../../wallet/chat/createChatStateSaver.ts";

/** A memory store that counts its writes, and fails them while `failing` is set. */
function countingStore() {
  const memory = memoryChatStateStore();
  const store = {
    writes: 0,
    failing: false,
    load: () => memory.load(),
    async save(state: ChatState) {
      store.writes += 1;
      if (store.failing) throw new Error("disk full");
      await memory.save(state);
    },
  } satisfies ChatStateStore & Record<string, unknown>;
  return store;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createChatStateSaver", () => {
  it("gathers the entries handled in a burst into one write, which records the cursor and acks it", async () => {
    const store = countingStore();
    const state = emptyChatState();
    const acks: number[] = [];
    let handled = 0;
    const saver = createChatStateSaver({
      state,
      store,
      handled: () => handled,
      ack: async (seq) => acks.push(seq),
      delayMs: 20,
    });
    for (let seq = 1; seq <= 5; seq++) {
      handled = seq;
      saver.schedule();
    }
    expect(store.writes).toBe(0);
    await sleep(100);
    expect(store.writes).toBe(1);
    expect(acks).toEqual([5]);
    expect((await store.load())?.lastSeq).toBe(5);
    expect(state.lastSeq).toBe(5);
  });

  it("a failed write rejects its save; the next write goes through", async () => {
    const store = countingStore();
    const state = emptyChatState();
    const acks: number[] = [];
    let handled = 3;
    const saver = createChatStateSaver({ state, store, handled: () => handled, ack: async (seq) => acks.push(seq) });
    store.failing = true;
    await expect(saver.save()).rejects.toThrow("disk full");
    expect(acks).toEqual([]);
    store.failing = false;
    handled = 4;
    await saver.save();
    expect((await store.load())?.lastSeq).toBe(4);
    expect(acks).toEqual([4]);
  });

  it("cuts the state to its limits, newest kept; acks nothing before the first entry", async () => {
    const store = countingStore();
    const state = emptyChatState();
    for (let i = 0; i < CHAT_STATE_LIMITS.seen + 2; i++) state.seen.push(`key ${i}`);
    const acks: number[] = [];
    const saver = createChatStateSaver({ state, store, handled: () => 0, ack: async (seq) => acks.push(seq) });
    await saver.save();
    expect(state.seen).toHaveLength(CHAT_STATE_LIMITS.seen);
    expect(state.seen[0]).toBe("key 2");
    expect((await store.load())?.seen).toHaveLength(CHAT_STATE_LIMITS.seen);
    expect(acks).toEqual([]);
  });

  it("without a store, schedules nothing; a save moves the cursor and acks", async () => {
    const state = emptyChatState();
    const acks: number[] = [];
    const saver = createChatStateSaver({ state, handled: () => 9, ack: async (seq) => acks.push(seq), delayMs: 5 });
    saver.schedule();
    await sleep(30);
    expect(acks).toEqual([]);
    await saver.save();
    expect(state.lastSeq).toBe(9);
    expect(acks).toEqual([9]);
  });

  it("settle cancels a scheduled write and waits for the one under way; a failed ack is ignored", async () => {
    const store = countingStore();
    const saver = createChatStateSaver({
      state: emptyChatState(),
      store,
      handled: () => 2,
      ack: async () => {
        throw new Error("the hub is gone");
      },
      delayMs: 10,
    });
    const writing = saver.save();
    saver.schedule();
    await saver.settle();
    await expect(writing).resolves.toBeUndefined();
    await sleep(40);
    expect(store.writes).toBe(1);
  });
});
