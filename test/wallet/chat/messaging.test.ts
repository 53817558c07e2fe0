// `gram chat` between people, as child processes over the real hub, node and chain: usernames, text
// between two and three users (a group), offline delivery (everything missed, in order, once), a read
// filtered to one chat that keeps the others for later, and the interactive mode driven through a pipe.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type ChatStack, startChatStack } from "../../kit/chat-stack.ts";
import { jsonOf, keyMaterialLeaks, SECRETS } from "../../kit/cli-chain.ts";

let stack: ChatStack;
const home: Record<"alice" | "bob" | "carol", string> = { alice: "", bob: "", carol: "" };
const alice = localAccount(ROLE.payer).address;
const bob = localAccount(ROLE.other).address;
const carol = localAccount(ROLE.treasury).address;

beforeAll(async () => {
  stack = await startChatStack();
  home.alice = await stack.chain.homeWith(ROLE.payer);
  home.bob = await stack.chain.homeWith(ROLE.other);
  home.carol = await stack.chain.homeWith(ROLE.treasury);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const pw = () => ["--password-file", stack.chain.passwordFile];
const as = (who: keyof typeof home, args: string[]) => stack.gram([...args, ...pw()], { home: home[who] });
// biome-ignore lint/suspicious/noExplicitAny: JSON results are asserted on field by field.
const read = async (who: keyof typeof home, more: string[] = []): Promise<any> => {
  const run = await as(who, ["chat", "read", "--json", ...more]);
  expect(run.code, run.stderr + run.stdout).toBe(0);
  return jsonOf(run);
};

describe("gram chat between people", () => {
  it("registers usernames, which @name then reaches", async () => {
    for (const [who, name] of [
      ["alice", "alice"],
      ["bob", "Bob_1"],
      ["carol", "carol"],
    ] as const) {
      const run = await as(who, ["chat", "register", name, "--json"]);
      expect(run.code, run.stderr).toBe(0);
      expect(jsonOf(run)).toMatchObject({ ok: true, command: "chat register", username: name.toLowerCase() });
    }
    const taken = await as("carol", ["chat", "register", "alice", "--json"]);
    expect(taken.code).toBe(1);
    expect(jsonOf(taken).error).toMatchObject({ code: "CHAT_USERNAME_TAKEN" });
  });

  it("two users exchange text, each message delivered once and in order", async () => {
    for (const text of ["hi bob", "lunch at 1?", "line one\nline two"]) {
      const sent = await as("alice", ["chat", "send", "@bob_1", text, "--json"]);
      expect(sent.code, sent.stderr).toBe(0);
    }
    const reply = await as("bob", ["chat", "send", alice, "sure", "--json"]);
    expect(reply.code, reply.stderr).toBe(0);

    const got = await read("bob");
    expect(
      got.messages.map((m: { text: string; fromName: string; outgoing: boolean }) => [m.fromName, m.text, m.outgoing]),
    ).toEqual([
      ["~alice", "hi bob", false],
      ["~alice", "lunch at 1?", false],
      ["~alice", "line one\nline two", false],
      ["you", "sure", true],
    ]);
    expect(got.rejected).toEqual([]);
    const seqs = got.messages.map((m: { seq: number }) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Read once: the next read has nothing new.
    expect((await read("bob")).messages).toEqual([]);

    const aliceSide = await read("alice");
    expect(aliceSide.messages.map((m: { text: string }) => m.text)).toEqual([
      "hi bob",
      "lunch at 1?",
      "line one\nline two",
      "sure",
    ]);
    expect(aliceSide.messages[3]).toMatchObject({ from: bob, fromName: "~bob_1", outgoing: false });
  });
});

describe("offline delivery", () => {
  it("bob, offline while alice sends, then gets everything once, in order; a lost state resumes from the hub's ack", async () => {
    const texts = Array.from({ length: 6 }, (_, i) => `offline message ${i + 1}`);
    for (const text of texts) expect((await as("alice", ["chat", "send", bob, text])).code).toBe(0);
    const got = await read("bob");
    expect(got.messages.map((m: { text: string }) => m.text)).toEqual(texts);
    expect(got.messages.every((m: { from: string }) => m.from === alice)).toBe(true);
    expect((await read("bob")).messages).toEqual([]);

    // A wallet that lost its chat state (a new machine with the same key) resumes where the hub
    // recorded this account's last read: nothing is shown twice.
    const dir = join(home.bob, "chat");
    for (const file of await readdir(dir)) await rm(join(dir, file));
    expect((await read("bob")).messages).toEqual([]);
    expect((await as("alice", ["chat", "send", bob, "after the loss"])).code).toBe(0);
    expect((await read("bob")).messages.map((m: { text: string }) => m.text)).toEqual(["after the loss"]);
  });

  it("a read of one chat keeps the other chats' messages for the next read", async () => {
    expect((await as("carol", ["chat", "send", "@bob_1", "from carol"])).code).toBe(0);
    expect((await as("alice", ["chat", "send", "@bob_1", "from alice"])).code).toBe(0);
    const onlyAlice = await read("bob", ["@alice"]);
    expect(onlyAlice.messages.map((m: { text: string }) => m.text)).toEqual(["from alice"]);
    expect(onlyAlice.keptForLater).toBe(1);
    const rest = await read("bob");
    expect(rest.messages.map((m: { text: string; from: string }) => [m.from, m.text])).toEqual([[carol, "from carol"]]);
    expect(rest.keptForLater).toBe(0);
  });
});

describe("three users in a group", () => {
  it("alice creates a group with bob and carol; each sees the others' messages", async () => {
    const created = await as("alice", ["chat", "group", "create", "Lunch club", "@bob_1", "@carol", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const group = jsonOf(created).group as { id: string; members: string[]; name: string };
    expect(group.members).toEqual([alice, bob, carol]);

    expect((await as("alice", ["chat", "send", group.id, "pizza on friday?"])).code).toBe(0);
    const bobSees = await read("bob");
    expect(bobSees.groups).toEqual([expect.objectContaining({ id: group.id, name: "Lunch club" })]);
    expect(bobSees.messages).toEqual([
      expect.objectContaining({ from: alice, to: { type: "group", id: group.id }, text: "pizza on friday?" }),
    ]);
    expect((await as("carol", ["chat", "send", group.id, "yes!"])).code).toBe(0);
    expect((await as("bob", ["chat", "send", group.id, "count me in"])).code).toBe(0);

    const carolSees = await read("carol");
    type Shown = { to: { type: string }; fromName: string; text: string };
    const inGroup = (messages: Shown[]) => messages.filter((m) => m.to.type === "group");
    expect(inGroup(carolSees.messages).map((m) => [m.fromName, m.text])).toEqual([
      ["~alice", "pizza on friday?"],
      ["you", "yes!"],
      ["~bob_1", "count me in"],
    ]);
    const aliceSees = await read("alice");
    expect(inGroup(aliceSees.messages).map((m) => m.text)).toEqual(["pizza on friday?", "yes!", "count me in"]);
  });
});

describe("the interactive mode, driven through a pipe", () => {
  it("shows the conversation, sends text, pays with /pay, asks with /request; the other side pays that with /pay", async () => {
    expect((await as("bob", ["chat", "send", "@alice", "are you there, alice?"])).code).toBe(0);
    await read("bob");
    const before = { alice: await stack.chain.balanceOf(alice), bob: await stack.chain.balanceOf(bob) };
    const input = [
      "hello from the terminal",
      "/pay @bob_1 2 coffee",
      "/send @bob_1 1 tea",
      '/request 1 "for the cab"',
      "/balance",
      "/history",
      "/chats",
      "/help",
      "/nonsense",
      "/quit",
      "",
    ].join("\n");
    const session = await stack.gramWithInput(["chat", "--to", "@bob_1", "--yes", ...pw()], input, {
      home: home.alice,
    });
    expect(session.code, session.stderr).toBe(0);
    const out = session.stdout;
    expect(out).toContain("--- ~bob_1 ---");
    expect(out).toMatch(/~bob_1: are you there, alice\?/);
    expect(out).toMatch(/you → ~bob_1: hello from the terminal/);
    // The summary shown before signing, decoded from the transaction.
    expect(out).toContain("Transaction: send tokens");
    expect(out).toMatch(/amount {4}2 GRAM/);
    expect(out).toMatch(/paid 2 GRAM to ~bob_1; told the chat/);
    expect(out).toMatch(/you → ~bob_1: PAYMENT 2 GRAM to ~bob_1 "coffee" \[confirmed in block \d+\]/);
    expect(out).toMatch(/asked ~bob_1 for 1 GRAM for "for the cab"/);
    expect(out).toMatch(/\d+(\.\d+)? GRAM, [\d.]+ ETH for gas/);
    // /send is gasless by default: the node's relayer pays the gas.
    expect(out).toContain("Signature: send tokens (gasless: the relayer pays the gas)");
    expect(out).toMatch(/paid 1 GRAM to ~bob_1 \(gasless\); told the chat/);
    expect(out).toMatch(/out +1 GRAM {2}~bob_1 {2}0x[0-9a-f]{10}/);
    expect(out).toContain("* ~bob_1");
    expect(out).toContain("/open @name|0xaddress|group-id");
    expect(out).toContain("error: unknown command /nonsense; /help lists them [USAGE]");
    expect(await stack.chain.balanceOf(bob)).toBe(before.bob + parseUnits("3", 9));

    const bobSees = await read("bob");
    expect(bobSees.messages.map((m: { type: string; text?: string }) => m.text ?? m.type)).toEqual([
      "hello from the terminal",
      "payment",
      "payment",
      "request",
    ]);
    expect(bobSees.messages[1].payment).toMatchObject({
      amount: "2",
      memo: "coffee",
      state: "confirmed",
      authorization: null,
    });
    expect(bobSees.messages[2].payment).toMatchObject({ amount: "1", memo: "tea", state: "confirmed" });
    expect(bobSees.messages[2].payment.authorization).toMatch(/^0x[0-9a-f]{64}$/);
    expect(bobSees.messages[3].request).toMatchObject({ amount: "1", memo: "for the cab" });

    // Bob opens the chat with alice and pays her last card with a bare /pay; a second /pay is refused.
    const paying = await stack.gramWithInput(["chat", "--to", "@alice", "--yes", ...pw()], "/pay\n/pay\n/quit\n", {
      home: home.bob,
    });
    expect(paying.code, paying.stderr).toBe(0);
    expect(paying.stdout).toMatch(/paid the request: 1 GRAM to 0x[0-9a-fA-F]{40}; told the chat/);
    expect(paying.stdout).toContain("you paid this card already");
    expect(await stack.chain.balanceOf(alice)).toBe(before.alice - parseUnits("3", 9) + parseUnits("1", 9));
    const aliceSees = await read("alice");
    expect(aliceSees.messages.filter((m: { outgoing: boolean }) => !m.outgoing)).toEqual([
      expect.objectContaining({ payment: expect.objectContaining({ amount: "1", state: "confirmed", to: alice }) }),
    ]);
  });

  it("asks before signing and signs nothing when the answer is no", async () => {
    const before = await stack.chain.balanceOf(alice);
    const nonce = await stack.chain.client.getTransactionCount({ address: alice });
    const session = await stack.gramWithInput(["chat", "--to", "@bob_1", ...pw()], "/pay @bob_1 3\nno\n/quit\n", {
      home: home.alice,
    });
    expect(session.code, session.stderr).toBe(0);
    expect(session.stdout).toContain("Sign and send? [y/N]");
    expect(session.stdout).toContain("declined; nothing was signed");
    expect(await stack.chain.balanceOf(alice)).toBe(before);
    expect(await stack.chain.client.getTransactionCount({ address: alice })).toBe(nonce);
  });
});

it("no key material in any output", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
});
