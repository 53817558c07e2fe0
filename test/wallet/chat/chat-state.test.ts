// The chat state file's payment claims: read from a file written before claims were kept (none then),
// written and read back, and kept to their limit, newest first.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHAT_STATE_LIMITS, emptyChatState } from "../../../wallet/chat/chat-state.ts";
import { fileChatStateStore } from "../../../wallet/chat/fileChatStateStore.ts";
import { tempHome } from "../../kit/wallet-helpers.ts";

describe("chat state: payment claims", () => {
  it("a file written before claims were kept reads with none; claims are written and read back", async () => {
    const dir = await tempHome();
    await mkdir(dir, { recursive: true });
    const file = join(dir, "state.json");
    const { claims: _, ...older } = emptyChatState();
    await writeFile(file, JSON.stringify({ ...older, lastSeq: 7 }));
    const store = fileChatStateStore(file);
    const state = await store.load();
    expect(state).toMatchObject({ lastSeq: 7, claims: [] });
    if (state === undefined) throw new Error("no state");

    const claim = { log: "31337:0xtoken:0xtx:3", by: "0xalice:0xmessage" };
    state.claims.push(claim);
    await store.save(state);
    expect((await store.load())?.claims).toEqual([claim]);
  });

  it("keeps the newest claims up to its limit", async () => {
    const dir = await tempHome();
    const file = join(dir, "state.json");
    const state = emptyChatState();
    const extra = 3;
    for (let i = 0; i < CHAT_STATE_LIMITS.claims + extra; i++) state.claims.push({ log: `log ${i}`, by: `by ${i}` });
    await fileChatStateStore(file).save(state);
    const saved = JSON.parse(await readFile(file, "utf8")) as { claims: { log: string }[] };
    expect(saved.claims).toHaveLength(CHAT_STATE_LIMITS.claims);
    expect(saved.claims[0]?.log).toBe(`log ${extra}`);
  });
});
