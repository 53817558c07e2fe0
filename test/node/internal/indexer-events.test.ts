import { describe, expect, it } from "vitest";
import { createIndexerEvents } from "../../../node/internal/indexer-events.ts";
import type { Cursor } from "../../../node/store/block.ts";

const at = (number: number): Cursor => ({ number, hash: `0x${number.toString(16).padStart(64, "0")}` });

describe("createIndexerEvents", () => {
  it("hands each batch and reorg to every listener, in the order they happen, until it stops listening", () => {
    const events = createIndexerEvents();
    const heard: string[] = [];
    const stopA = events.listen({
      onBatch: ({ cursor }) => heard.push(`a batch ${cursor.number}`),
      onReorg: ({ cursor, from }) => heard.push(`a reorg ${from.number}→${cursor.number}`),
    });
    events.listen({ onBatch: ({ cursor, final }) => heard.push(`b batch ${cursor.number}${final ? " final" : ""}`) });

    events.hooks.onBatch({ cursor: at(5), events: [], final: true });
    events.hooks.onReorg({ cursor: at(4), from: at(6), blocks: 2, keys: [] });
    stopA();
    events.hooks.onBatch({ cursor: at(7), events: [], final: false });

    expect(heard).toEqual(["a batch 5", "b batch 5 final", "a reorg 6→4", "b batch 7"]);
  });
});
