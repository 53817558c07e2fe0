// Usernames, direct chats and groups on the real hub: two and three users exchange messages, each sees
// every message of its conversations once (its own too, for its other devices), and nobody else does.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationOf } from "../../../protocol/chat/envelope.ts";
import { verifyEnvelope } from "../../../protocol/chat/sign.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { DOMAIN, TOKEN } from "../../kit/constants.ts";
import { type ChatClient, signedIn } from "../../kit/hub-client.ts";
import { type ServedHub, serveHub } from "../../kit/serve-hub.ts";

const account = () => privateKeyToAccount(generatePrivateKey());
const alice = account();
const bob = account();
const carol = account();
const dave = account();
let served: ServedHub;
let a: ChatClient;
let b: ChatClient;
let c: ChatClient;

beforeAll(async () => {
  served = await serveHub();
  [a, b, c] = await Promise.all([signedIn(served, alice), signedIn(served, bob), signedIn(served, carol)]);
});
afterAll(async () => {
  await served?.close();
});

const text = (body: string) => ({ type: "text", text: body }) as const;

describe("usernames", () => {
  it("registers a case-folded name bound to the signed-in address, and finds it both ways", async () => {
    expect(await a.request({ op: "register", username: "Alice_01" })).toMatchObject({
      type: "user",
      username: "alice_01",
      address: alice.address,
    });
    expect(await b.request({ op: "lookup", username: "ALICE_01" })).toMatchObject({
      username: "alice_01",
      address: alice.address,
    });
    expect(await b.request({ op: "lookup", address: alice.address.toLowerCase() })).toMatchObject({
      username: "alice_01",
      address: alice.address,
    });
    expect(await b.request({ op: "lookup", username: "nobody_here" })).toMatchObject({
      username: "nobody_here",
      address: null,
    });
  });

  it("refuses a name taken in another case or width, and confusable names", async () => {
    expect(await b.request({ op: "register", username: "ＡＬＩＣＥ_01" })).toMatchObject({
      type: "error",
      code: "USERNAME_TAKEN",
    });
    const cyrillic = await b.request({ op: "register", username: "\u0430lice_01" });
    expect(cyrillic).toMatchObject({ type: "error", code: "INVALID_USERNAME" });
    expect(cyrillic.message).toContain("U+0430");
    expect((await b.request({ op: "register", username: "alice\u200b01" })).code).toBe("INVALID_USERNAME");
    expect((await b.request({ op: "register", username: "alice.01" })).code).toBe("INVALID_USERNAME");
    expect((await b.request({ op: "lookup", username: "alice.01" })).code).toBe("INVALID_USERNAME");
  });

  it("gives one name per address: registering another frees the old one, held for its owner a while", async () => {
    expect((await b.request({ op: "register", username: "bob" })).username).toBe("bob");
    expect((await b.request({ op: "register", username: "bobby" })).username).toBe("bobby");
    expect(await a.request({ op: "lookup", username: "bob" })).toMatchObject({ address: null });
    expect(await a.request({ op: "lookup", address: bob.address })).toMatchObject({ username: "bobby" });
    // Nobody else takes it at once (users.test.ts: and after the cooldown, they do).
    const taken = await c.request({ op: "register", username: "bob" });
    expect(taken).toMatchObject({ type: "error", code: "USERNAME_TAKEN" });
    expect(taken.message).toContain('"bob" was given up by its owner and is held for them until');
  });

  it("lets only one of two racing addresses have a name", async () => {
    const answers = await Promise.all([
      a.request({ op: "register", username: "racer" }),
      c.request({ op: "register", username: "racer" }),
    ]);
    expect(answers.map((answer) => answer.type).sort()).toEqual(["error", "user"]);
  });
});

describe("direct chats", () => {
  it("delivers a message to the receiver and echoes it to the sender, with consecutive seqs", async () => {
    const [aBefore, bBefore] = [a.frames.length, b.frames.length];
    const { envelope, answer } = await a.say({ to: { type: "direct", address: bob.address }, body: text("hi bob") });
    expect(answer).toMatchObject({ type: "sent", id: envelope.id });
    const got = await b.next((frame) => frame.type === "message" && frame.envelope.id === envelope.id, bBefore);
    expect(got.envelope).toEqual(envelope);
    // The receiver checks the signature again; the hub's word is not enough.
    expect((await verifyEnvelope(got.envelope, DOMAIN)).signer).toBe(alice.address);
    const echo = await a.next((frame) => frame.type === "message" && frame.envelope.id === envelope.id, aBefore);
    expect(echo.seq).toBe(answer.seq);

    const { envelope: reply } = await b.say({ to: { type: "direct", address: alice.address }, body: text("hi alice") });
    const back = await a.next((frame) => frame.type === "message" && frame.envelope.id === reply.id, aBefore);
    expect(back.seq).toBe(echo.seq + 1);
    expect(c.of("message").filter((frame) => [envelope.id, reply.id].includes(frame.envelope.id))).toEqual([]);
  });

  it("relays payments, requests and saved messages", async () => {
    const bodies = [
      {
        type: "payment",
        token: TOKEN,
        amount: "5000000000",
        to: bob.address,
        tx: `0x${"ab".repeat(32)}`,
        memo: "lunch",
      },
      { type: "request", token: TOKEN, amount: "5000000000", expiry: 1_900_000_000, memo: "pizza" },
    ] as const;
    for (const body of bodies) {
      const { envelope } = await a.say({ to: { type: "direct", address: bob.address }, body });
      expect((await b.next((frame) => frame.envelope?.id === envelope.id)).envelope.body).toEqual(body);
    }
    const { envelope, answer } = await c.say({
      to: { type: "direct", address: carol.address },
      body: text("note to self"),
    });
    expect(answer.type).toBe("sent");
    await c.next((frame) => frame.envelope?.id === envelope.id);
    expect(c.of("message").filter((frame) => frame.envelope.id === envelope.id)).toHaveLength(1);
  });

  it("delivers to every connection of the receiver, and to the sender's other devices", async () => {
    const a2 = await signedIn(served, alice);
    const b2 = await signedIn(served, bob);
    const { envelope } = await a.say({ to: { type: "direct", address: bob.address }, body: text("to every device") });
    for (const client of [a2, b, b2]) await client.next((frame) => frame.envelope?.id === envelope.id);
    await Promise.all([a2.close(), b2.close()]);
  });

  it("keeps the conversation's history, readable by its two parties only", async () => {
    const { envelope: first } = await a.say({ to: { type: "direct", address: dave.address }, body: text("one") });
    const { envelope: second } = await a.say({ to: { type: "direct", address: dave.address }, body: text("two") });
    const d = await signedIn(served, dave);
    const history = await d.request({ op: "history", conversation: { type: "direct", address: alice.address } });
    expect(history).toMatchObject({
      type: "history",
      conversation: conversationOf(alice.address, { type: "direct", address: dave.address }),
      more: false,
    });
    expect(history.messages).toEqual([
      { index: 1, envelope: first },
      { index: 2, envelope: second },
    ]);
    const page = await d.request({ op: "history", conversation: { type: "direct", address: alice.address }, limit: 1 });
    expect(page).toMatchObject({ messages: [{ index: 2 }], more: true });
    const older = await d.request({
      op: "history",
      conversation: { type: "direct", address: alice.address },
      before: 2,
    });
    expect(older).toMatchObject({ messages: [{ index: 1 }], more: false });
    // Carol asking for "her chat with alice" gets her own (empty) conversation, not alice and dave's.
    expect(await c.request({ op: "history", conversation: { type: "direct", address: dave.address } })).toMatchObject({
      messages: [],
    });
    await d.close();
  });
});

describe("groups", () => {
  it("creates a group, tells every member, and fans messages out to the three of them", async () => {
    const before = [a.frames.length, b.frames.length, c.frames.length];
    const created = await a.request({ op: "group.create", name: "Lunch club", members: [bob.address, carol.address] });
    expect(created).toMatchObject({
      type: "created",
      group: { name: "Lunch club", creator: alice.address, members: [alice.address, bob.address, carol.address] },
    });
    const { id } = created.group;
    for (const [i, client] of [a, b, c].entries()) {
      expect((await client.next((frame) => frame.type === "group" && frame.group.id === id, before[i])).group).toEqual(
        created.group,
      );
    }
    const sent = await Promise.all(
      [a, b, c].map((client, i) => client.say({ to: { type: "group", id }, body: text(`hello from ${i}`) })),
    );
    for (const client of [a, b, c]) {
      await waitFor(() =>
        sent.every(({ envelope }) => client.frames.some((frame) => frame.envelope?.id === envelope.id)),
      );
      const seen = client
        .of("message")
        .filter((frame) => frame.envelope.to.type === "group" && frame.envelope.to.id === id);
      expect(seen).toHaveLength(3);
    }
    const history = await b.request({ op: "history", conversation: { type: "group", id } });
    expect(history.messages.map((message: { index: number }) => message.index)).toEqual([1, 2, 3]);
    expect((await c.request({ op: "groups" })).groups).toContainEqual(created.group);
  });

  it("lets no one outside a group post to it or read it", async () => {
    const created = await a.request({ op: "group.create", name: "Private", members: [bob.address] });
    const { id } = created.group;
    const post = await c.say({ to: { type: "group", id }, body: text("let me in") });
    expect(post.answer).toMatchObject({ type: "error", code: "NOT_MEMBER" });
    const read = await c.request({ op: "history", conversation: { type: "group", id } });
    expect(read).toMatchObject({ type: "error", code: "NOT_MEMBER" });
    const missing = await a.say({ to: { type: "group", id: `0x${"99".repeat(32)}` }, body: text("anyone?") });
    expect(missing.answer).toMatchObject({ type: "error", code: "NOT_FOUND" });
    expect((await c.request({ op: "groups" })).groups.map((group: { id: string }) => group.id)).not.toContain(id);
  });

  it("lets a member add someone: every member gets the new list, the newcomer may post and read the history", async () => {
    const created = await a.request({ op: "group.create", name: "Book club", members: [bob.address] });
    const { id } = created.group;
    await a.say({ to: { type: "group", id }, body: text("first book?") });
    // An outsider cannot add itself; a member adds carol.
    expect(await c.request({ op: "group.add", group: id, members: [carol.address] })).toMatchObject({
      type: "error",
      code: "NOT_MEMBER",
    });
    const before = [a.frames.length, b.frames.length, c.frames.length];
    const added = await b.request({ op: "group.add", group: id, members: [carol.address, alice.address] });
    expect(added).toMatchObject({
      type: "added",
      group: { id, name: "Book club", creator: alice.address, members: [alice.address, bob.address, carol.address] },
    });
    for (const [i, client] of [a, b, c].entries()) {
      const told = await client.next((frame) => frame.type === "group" && frame.group.id === id, before[i]);
      expect(told.group.members).toEqual([alice.address, bob.address, carol.address]);
    }
    const post = await c.say({ to: { type: "group", id }, body: text("Dune") });
    expect(post.answer).toMatchObject({ type: "sent" });
    const history = await c.request({ op: "history", conversation: { type: "group", id } });
    expect(history.messages).toHaveLength(2);
    expect((await c.request({ op: "groups" })).groups).toContainEqual(added.group);
    // Adding only members already in is refused, saying so.
    expect(await a.request({ op: "group.add", group: id, members: [carol.address] })).toMatchObject({
      type: "error",
      code: "MALFORMED",
      message: `members: every one is already in group ${id}`,
    });
  });
});
