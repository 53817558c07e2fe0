// Offline delivery and persistence on the real hub: a client that reconnects and syncs from its last seq
// gets what it missed, in order, exactly once, including what arrives while it syncs; and a hub restarted
// on the same data folder still has every inbox, history, name and group, and still refuses replays.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const text = (body: string) => ({ type: "text", text: body }) as const;
const served: ServedHub[] = [];
afterEach(async () => {
  // Newest first: a restarted hub stops before the first one removes the folder they share.
  for (const hub of served.splice(0).reverse()) await hub.close();
});

async function start(options: Parameters<typeof serveHub>[0] = {}) {
  const hub = await serveHub(options);
  served.push(hub);
  return hub;
}

describe("offline delivery", () => {
  it("gives a reconnecting client what it missed, in order, once", async () => {
    const hub = await start();
    const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    const a = await signedIn(hub, alice);
    let b = await signedIn(hub, bob);
    const { envelope: first } = await a.say({ to: { type: "direct", address: bob.address }, body: text("before") });
    const seen = await b.next((frame) => frame.envelope?.id === first.id);
    const lastSeq = seen.seq as number;
    await b.close();

    const missed = [];
    for (let i = 0; i < 30; i++)
      missed.push((await a.say({ to: { type: "direct", address: bob.address }, body: text(`missed ${i}`) })).envelope);

    b = await signedIn(hub, bob);
    expect(b.frames[b.frames.length - 1]).toMatchObject({ type: "welcome", lastSeq: lastSeq + 30 });
    // Sent while bob syncs: it must come once, after the missed ones.
    const sync = b.request({ op: "sync", after: lastSeq });
    const { envelope: during } = await a.say({ to: { type: "direct", address: bob.address }, body: text("during") });
    const synced = await sync;
    expect(synced).toMatchObject({ type: "synced", more: false });
    await b.next((frame) => frame.envelope?.id === during.id);
    const messages = b.of("message");
    expect(messages.map((frame) => frame.envelope.body.text)).toEqual([
      ...missed.map((e) => (e.body as { text: string }).text),
      "during",
    ]);
    expect(messages.map((frame) => frame.seq)).toEqual(Array.from({ length: 31 }, (_, i) => lastSeq + 1 + i));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.of("message")).toHaveLength(31);
    await a.close();
    await b.close();
  });

  it("syncs in pages: `more` until the end, and live pushes wait until the client caught up", async () => {
    const hub = await start();
    const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    const a = await signedIn(hub, alice);
    for (let i = 0; i < 5; i++) await a.say({ to: { type: "direct", address: bob.address }, body: text(`m${i}`) });
    const b = await signedIn(hub, bob);
    expect(await b.request({ op: "sync", after: 0, limit: 2 })).toMatchObject({ lastSeq: 2, more: true });
    // Behind: a new message is not pushed out of order; the next sync brings it.
    const { envelope: late } = await a.say({ to: { type: "direct", address: bob.address }, body: text("late") });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.of("message").map((frame) => frame.seq)).toEqual([1, 2]);
    expect(await b.request({ op: "sync", after: 2, limit: 2 })).toMatchObject({ lastSeq: 4, more: true });
    expect(await b.request({ op: "sync", after: 4 })).toMatchObject({ lastSeq: 6, more: false });
    expect(b.of("message").map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.of("message")[5].envelope.id).toBe(late.id);
    // Caught up: live again.
    const { envelope: live } = await a.say({ to: { type: "direct", address: bob.address }, body: text("live") });
    expect((await b.next((frame) => frame.envelope?.id === live.id)).seq).toBe(7);
    // A client that claims more than the hub ever had is told the truth.
    expect(await b.request({ op: "sync", after: 1_000 })).toMatchObject({ lastSeq: 7, more: false });
  });

  it("records acknowledgements, never backwards, never past the newest seq", async () => {
    const hub = await start();
    const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    const a = await signedIn(hub, alice);
    for (let i = 0; i < 3; i++) await a.say({ to: { type: "direct", address: bob.address }, body: text(`m${i}`) });
    const b = await signedIn(hub, bob);
    expect(await b.request({ op: "ack", seq: 2 })).toMatchObject({ type: "acked", seq: 2 });
    expect(await b.request({ op: "ack", seq: 1 })).toMatchObject({ type: "acked", seq: 2 });
    expect(await b.request({ op: "ack", seq: 9 })).toMatchObject({ type: "error", code: "MALFORMED" });
    const again = await signedIn(hub, bob);
    expect(again.frames.at(-1)).toMatchObject({ type: "welcome", lastSeq: 3, ackedSeq: 2 });
  });
});

describe("restart", () => {
  it("keeps inboxes, history, names and groups, and still refuses a replay", async () => {
    const [alice, bob] = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
    const first = await start();
    const a = await signedIn(first, alice);
    await a.request({ op: "register", username: "alice" });
    const group = (await a.request({ op: "group.create", name: "Two of us", members: [bob.address] })).group;
    const { envelope } = await a.say({ to: { type: "direct", address: bob.address }, body: text("kept") });
    await a.say({ to: { type: "group", id: group.id }, body: text("also kept") });
    await first.stop();

    const second = await start({ dataDir: first.dataDir });
    const b = await signedIn(second, bob);
    expect(b.frames.at(-1)).toMatchObject({ type: "welcome", lastSeq: 3 });
    await b.request({ op: "sync", after: 0 });
    expect(b.frames.filter((frame) => frame.seq !== undefined).map((frame) => [frame.seq, frame.type])).toEqual([
      [1, "group"],
      [2, "message"],
      [3, "message"],
    ]);
    expect(b.of("message")[0].envelope).toEqual(envelope);
    expect(await b.request({ op: "lookup", username: "alice" })).toMatchObject({ address: alice.address });
    expect((await b.request({ op: "history", conversation: { type: "group", id: group.id } })).messages).toHaveLength(
      1,
    );

    const a2 = await signedIn(second, alice);
    const replay = await a2.request({ op: "send", envelope });
    expect(replay).toMatchObject({ type: "error", code: "REPLAYED" });
    // Seqs go on from where they were.
    const { answer } = await a2.say({ to: { type: "direct", address: bob.address }, body: text("after restart") });
    expect(answer.seq).toBe(4);
    await waitFor(() => b.of("message").length === 3);
    expect(b.of("message")[2].seq).toBe(4);
  });
});
