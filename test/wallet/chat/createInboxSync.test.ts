// Reading the inbox on its own (createInboxSync), against the fake hub of fake-hub.ts over a real
// WebSocket: the entries after the client's cursor, each once, in seq order, then `synced`; a push past a
// gap makes it read the inbox again; a hub whose inbox ends below the cursor is followed from its end; a
// paused inbox takes no more pushes.
import { describe, expect, it } from "vitest";
import { createInboxSync, type InboxSync } from "../../../wallet/chat/createInboxSync.ts";
import { nodeWebSocket } from "../../../wallet/chat/nodeWebSocket.ts";
import { openHubSocket } from "../../../wallet/chat/openHubSocket.ts";
import { signInToHub } from "../../../wallet/chat/signInToHub.ts";
import { CHAIN_ID } from "../../kit/constants.ts";
import { closeAfterTest, type Frame, fakeHub } from "../../kit/fake-hub.ts";
import { alice } from "../../protocol/chat/helpers.ts";

/** Inbox entries as the hub would store them; the sync does not look inside. */
const entries = (count: number): Frame[] =>
  Array.from({ length: count }, (_, i) => ({ type: "status", seq: i + 1, status: { n: i + 1 } }));

/**
 * A hub with `count` entries; its `poke` op stores the entries named by `missing` without sending them,
 * then appends one more (sent at once): a push past a gap.
 */
async function hubWith(count: number, missing = 0) {
  return closeAfterTest(
    await fakeHub({
      chainId: CHAIN_ID,
      inbox: async () => entries(count),
      handle: (frame, { reply, append, store }) => {
        if (frame.op !== "poke") return false;
        for (let i = 0; i < missing; i++) store({ type: "status", status: { stored: i } });
        append({ type: "status", status: { pushed: true } });
        reply({ type: "poked" });
        return true;
      },
    }),
  );
}

/** Signs alice in to `hub` and reads her inbox after `start`, recording what is handled and synced. */
async function reader(hub: Awaited<ReturnType<typeof hubWith>>, start: number) {
  let inbox: InboxSync | undefined;
  const socket = await openHubSocket({
    url: hub.url,
    timeoutMs: 10_000,
    webSocket: nodeWebSocket,
    onFrame: (frame) => inbox?.accept(frame),
    onClose: () => {},
  });
  closeAfterTest(socket);
  await signInToHub(socket, { url: hub.url, chainId: CHAIN_ID, account: alice });
  const handled: number[] = [];
  const synced: number[] = [];
  inbox = createInboxSync({
    start,
    request: (frame) => socket.request(frame),
    handle: async (seq) => {
      handled.push(seq);
    },
    onSynced: (lastSeq) => {
      synced.push(lastSeq);
    },
  });
  return { inbox, socket, handled, synced };
}

async function until(condition: () => boolean, what: string) {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("createInboxSync", () => {
  it("reads the entries after its start, each once, in seq order, then says how far it read", async () => {
    const hub = await hubWith(5);
    const { inbox, handled, synced } = await reader(hub, 2);
    await inbox.sync();
    expect(handled).toEqual([3, 4, 5]);
    expect(synced).toEqual([5]);
    expect(inbox.handled).toBe(5);
    expect(hub.received.filter((f) => f.op === "sync").map((f) => f.after)).toEqual([2]);
  });

  it("a push past a gap reads the inbox again from where it is: nothing is skipped", async () => {
    const hub = await hubWith(2, 2);
    const { inbox, socket, handled, synced } = await reader(hub, 0);
    await inbox.sync();
    expect(handled).toEqual([1, 2]);
    // The hub stores 3 and 4 and pushes only 5.
    await socket.request({ op: "poke" });
    await until(() => synced.length === 2, "the second sync");
    expect(handled).toEqual([1, 2, 3, 4, 5]);
    expect(synced).toEqual([2, 5]);
    expect(hub.received.filter((f) => f.op === "sync").map((f) => f.after)).toEqual([0, 2]);
  });

  it("goes on from the hub's end when its inbox ends below the client's cursor", async () => {
    const hub = await hubWith(3);
    const { inbox, socket, handled, synced } = await reader(hub, 10);
    await inbox.sync();
    expect(handled).toEqual([]);
    expect(synced).toEqual([3]);
    expect(inbox.handled).toBe(3);
    await socket.request({ op: "poke" });
    await until(() => handled.length === 1, "the pushed entry");
    expect(handled).toEqual([4]);
  });

  it("paused, it takes no more pushes; they wait for the next sync", async () => {
    const hub = await hubWith(1);
    const { inbox, socket, handled } = await reader(hub, 0);
    await inbox.sync();
    await inbox.pause();
    await socket.request({ op: "poke" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled).toEqual([1]);
    expect(inbox.handled).toBe(1);
  });
});
