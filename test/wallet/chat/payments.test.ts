// Money in `gram chat`, as child processes over the real hub, node and chain: a direct payment the
// receiver sees pending, then confirmed; a gasless one through the node's relayer; a request paid from its
// card; a merchant's invoice paid with a tip; forged "I paid you" messages shown as NOT CONFIRMED; one
// transfer claimed by three messages, confirmed once; a relayer that answers with a transaction nobody
// knows; and bad inputs that exit 1 and move nothing.
import { type Address, createPublicClient, type Hex, http, keccak256, parseUnits, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import { conversationOf, parseEnvelopeValue } from "../../../protocol/chat/envelope.ts";
import { createGramClient } from "../../../wallet/actions/client.ts";
import { chatUrlOf } from "../../../wallet/chat/chat-url.ts";
import { connectChat } from "../../../wallet/chat/connectChat.ts";
import { createPaymentTracker } from "../../../wallet/chat/createPaymentTracker.ts";
import { chatStateFile, fileChatStateStore } from "../../../wallet/chat/fileChatStateStore.ts";
import { sendPayment } from "../../../wallet/chat/sendPayment.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type ChatStack, startChatStack } from "../../kit/chat-stack.ts";
import { jsonOf, keyMaterialLeaks, SECRETS } from "../../kit/cli-chain.ts";
import { startLyingRelayer } from "../../kit/relayer-stand-in.ts";

let stack: ChatStack;
const home: Record<"alice" | "bob" | "shop", string> = { alice: "", bob: "", shop: "" };
const alice = localAccount(ROLE.payer).address;
const bob = localAccount(ROLE.other).address;
const shop = localAccount(ROLE.merchant).address;
const carol = localAccount(ROLE.treasury).address;
const GRAM = (text: string) => parseUnits(text, 9);

beforeAll(async () => {
  stack = await startChatStack();
  home.alice = await stack.chain.homeWith(ROLE.payer);
  home.bob = await stack.chain.homeWith(ROLE.other);
  home.shop = await stack.chain.homeWith(ROLE.merchant);
  // Alice knows bob and the shop as contacts; bob and the shop know alice by her username.
  for (const [name, address] of [
    ["bob", bob],
    ["shop", shop],
  ] as const) {
    expect((await stack.gram(["contacts", "add", name, address], { home: home.alice })).code).toBe(0);
  }
  expect((await as("alice", ["chat", "register", "alice"])).code).toBe(0);
  for (const who of ["bob", "shop"] as const) expect((await as(who, ["chat", "read"])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await stack?.chain.rpc("evm_setAutomine", [true]).catch(() => {});
  await stack?.close();
});

const pw = () => ["--password-file", stack.chain.passwordFile];
const as = (who: keyof typeof home, args: string[]) => stack.gram([...args, ...pw()], { home: home[who] });
// biome-ignore lint/suspicious/noExplicitAny: JSON results are asserted on field by field.
const ok = async (who: keyof typeof home, args: string[]): Promise<any> => {
  const run = await as(who, [...args, "--json"]);
  expect(run.code, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(0);
  return jsonOf(run);
};
const balance = (who: Address) => stack.chain.balanceOf(who);
/** What others sent: a read also shows one's own messages (sent from this or another device). */
const incoming = (messages: { outgoing: boolean }[]) => messages.filter((message) => !message.outgoing);

describe("paying in the chat", () => {
  it("/pay: bob sees the payment pending while it waits to be mined, then confirmed", async () => {
    const before = { alice: await balance(alice), bob: await balance(bob) };
    await stack.chain.rpc("evm_setAutomine", [false]);
    let paying: ReturnType<typeof ok> | undefined;
    try {
      paying = ok("alice", ["chat", "pay", "@bob", "5", "lunch", "--yes"]);
      const first = await ok("bob", ["chat", "read", "--wait-ms", "60000"]);
      expect(first.messages).toHaveLength(1);
      expect(first.messages[0]).toMatchObject({
        from: alice,
        fromName: "~alice",
        type: "payment",
        payment: { amount: "5", symbol: "GRAM", to: bob, memo: "lunch", state: "pending", code: "MINING" },
      });
      // Nothing moved yet.
      expect(await balance(bob)).toBe(before.bob);
    } finally {
      await stack.chain.rpc("evm_mine");
      await stack.chain.rpc("evm_setAutomine", [true]);
    }
    const paid = await paying;
    expect(paid).toMatchObject({
      ok: true,
      command: "chat pay",
      to: bob,
      amount: "5",
      gasless: false,
      status: "success",
    });

    const second = await ok("bob", ["chat", "read"]);
    expect(second.messages).toEqual([]);
    expect(second.updates).toEqual([
      expect.objectContaining({
        id: paid.messageId,
        previous: "pending",
        state: "confirmed",
        code: "CONFIRMED",
        tx: paid.hash,
      }),
    ]);
    expect(await balance(bob)).toBe(before.bob + GRAM("5"));
    expect(await balance(alice)).toBe(before.alice - GRAM("5"));
  });

  it("a gasless send goes through the node's relayer: alice pays no gas, bob sees it confirmed", async () => {
    const before = {
      alice: await balance(alice),
      bob: await balance(bob),
      eth: await stack.chain.client.getBalance({ address: alice }),
    };
    const paid = await ok("alice", ["chat", "pay", "@bob", "3", "--gasless", "--yes"]);
    expect(paid).toMatchObject({ gasless: true, amount: "3", status: "success" });
    expect(paid.authorization).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await stack.chain.client.getBalance({ address: alice })).toBe(before.eth);
    expect(await balance(alice)).toBe(before.alice - GRAM("3"));
    expect(await balance(bob)).toBe(before.bob + GRAM("3"));

    const got = await ok("bob", ["chat", "read"]);
    expect(got.messages).toEqual([
      expect.objectContaining({
        id: paid.messageId,
        payment: expect.objectContaining({
          amount: "3",
          tx: paid.hash,
          authorization: paid.authorization,
          state: "confirmed",
        }),
      }),
    ]);
  });

  it("bob requests money; opening the request signs nothing; alice pays it from its card", async () => {
    const asked = await ok("bob", ["chat", "request", alice, "4", "pizza"]);
    expect(asked).toMatchObject({ amount: "4", memo: "pizza", symbol: "GRAM" });
    const nonce = await stack.chain.client.getTransactionCount({ address: alice });
    const seen = await ok("alice", ["chat", "read"]);
    expect(incoming(seen.messages)).toEqual([
      expect.objectContaining({
        id: asked.messageId,
        type: "request",
        request: expect.objectContaining({ payee: bob, amount: "4", units: GRAM("4").toString(), memo: "pizza" }),
      }),
    ]);
    expect(await stack.chain.client.getTransactionCount({ address: alice })).toBe(nonce);

    const before = { alice: await balance(alice), bob: await balance(bob) };
    const paid = await ok("alice", ["chat", "pay-card", asked.messageId.slice(0, 12), "--yes"]);
    expect(paid).toMatchObject({ kind: "request", cardId: asked.messageId, to: bob, amount: "4", status: "success" });
    expect(await balance(bob)).toBe(before.bob + GRAM("4"));
    expect(await balance(alice)).toBe(before.alice - GRAM("4"));

    const told = await ok("bob", ["chat", "read"]);
    expect(incoming(told.messages)).toEqual([
      expect.objectContaining({
        id: paid.messageId,
        payment: expect.objectContaining({ ref: asked.messageId, amount: "4", memo: "pizza", state: "confirmed" }),
      }),
    ]);
  });

  it("a merchant invoices alice in the chat; she pays it with a tip; the merchant sees it confirmed", async () => {
    const sent = await ok("shop", [
      "chat",
      "invoice",
      "@alice",
      "12.5",
      "Margherita",
      "--tip-max",
      "3",
      "--cashback",
      "2%",
      "--yes",
    ]);
    expect(sent).toMatchObject({ title: "Margherita", amount: "12.5", maxTip: "3", cashbackBps: 200, payer: alice });
    const card = incoming((await ok("alice", ["chat", "read"])).messages);
    // A cashback above 100% is refused before anything is signed or sent: alice reads the one card only.
    const refused = await as("shop", ["chat", "invoice", "@alice", "5", "Soup", "--cashback", "150%", "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "--cashback: got '150%', expected basis points 0..10000 or a percentage like 2.5%",
    );
    expect(incoming((await ok("alice", ["chat", "read"])).messages)).toEqual([]);
    expect(card).toEqual([
      expect.objectContaining({
        id: sent.messageId,
        type: "invoice",
        invoice: expect.objectContaining({
          invoiceId: sent.invoiceId,
          merchant: shop,
          title: "Margherita",
          amount: "12.5",
          maxTip: "3",
          cashbackBps: 200,
          payer: alice,
          items: [{ name: "Margherita", quantity: "1", price: "12.5" }],
          warnings: [],
        }),
      }),
    ]);
    const before = {
      alice: await balance(alice),
      shop: await balance(shop),
      escrow: await balance(stack.chain.escrow),
    };
    const paid = await ok("alice", ["chat", "pay-card", sent.messageId, "--tip", "1", "--yes"]);
    expect(paid).toMatchObject({
      kind: "invoice",
      invoiceId: sent.invoiceId,
      amount: "12.5",
      tip: "1",
      status: "success",
    });
    expect(await balance(alice)).toBe(before.alice - GRAM("13.5"));
    expect(await balance(shop)).toBe(before.shop + GRAM("1"));
    expect(await balance(stack.chain.escrow)).toBe(before.escrow + GRAM("12.5"));
    const held = await stack.chain.client.readContract({
      address: stack.chain.escrow,
      abi: merchantEscrowAbi,
      functionName: "paymentOf",
      args: [sent.invoiceId],
    });
    expect(held).toMatchObject({ held: GRAM("12.5") });

    const told = await ok("shop", ["chat", "read"]);
    expect(incoming(told.messages)).toEqual([
      expect.objectContaining({
        from: alice,
        payment: expect.objectContaining({
          to: shop,
          amount: "13.5",
          ref: sent.invoiceId,
          state: "confirmed",
          reason: expect.stringContaining("invoice paid"),
        }),
      }),
    ]);
    // Paid at most once: the card cannot be paid again.
    const again = await as("alice", ["chat", "pay-card", sent.messageId, "--yes", "--json"]);
    expect(again.code).toBe(1);
    expect(await balance(alice)).toBe(before.alice - GRAM("13.5"));
  });

  it("interactive: the merchant sends /invoice, alice pays the card with /pay 2 (a tip of 2)", async () => {
    const pw2 = ["--yes", ...pw()];
    const sent = await stack.gramWithInput(
      ["chat", "--to", "@alice", ...pw2],
      '/invoice 8 "Quattro Formaggi" --tip-max 2\n/quit\n',
      {
        home: home.shop,
      },
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain("Signature: sign an invoice");
    expect(sent.stdout).toMatch(/invoiced ~alice 8 GRAM for "Quattro Formaggi" \(invoice 0x[0-9a-f]{8}\)/);

    const before = {
      alice: await balance(alice),
      shop: await balance(shop),
      escrow: await balance(stack.chain.escrow),
    };
    const paying = await stack.gramWithInput(["chat", "--to", "@shop", ...pw2], "/pay 2\n/quit\n", {
      home: home.alice,
    });
    expect(paying.code, paying.stderr).toBe(0);
    expect(paying.stdout).toMatch(/INVOICE "Quattro Formaggi" 8 GRAM \(tip up to 2\)/);
    expect(paying.stdout).toMatch(/paying the last card of @shop: invoice "Quattro Formaggi" 0x[0-9a-f]{8}/);
    expect(paying.stdout).toContain('paid invoice "Quattro Formaggi": 8 GRAM + 2 tip; told the chat');
    expect(await balance(alice)).toBe(before.alice - GRAM("10"));
    expect(await balance(shop)).toBe(before.shop + GRAM("2"));
    expect(await balance(stack.chain.escrow)).toBe(before.escrow + GRAM("8"));
    const told = incoming((await ok("shop", ["chat", "read"])).messages);
    expect(told.at(-1)).toMatchObject({ payment: { amount: "10", to: shop, state: "confirmed" } });
  });

  it("a forged 'I paid you' is NOT CONFIRMED: a transaction that does not exist, or that pays someone else", async () => {
    // Alice really pays carol, then tells bob that this transaction paid him; and claims a transaction
    // that never happened, and one that pays bob less than it says.
    const toCarol = await ok("alice", ["send", carol, "2", "--yes"]);
    const toBob = await ok("alice", ["send", bob, "1", "--yes"]);
    const chat = await connectChat({
      url: stack.chatUrl,
      account: localAccount(ROLE.payer),
      chainId: stack.chain.chainId,
      escrow: stack.chain.escrow,
      sync: false,
    });
    const claim = (tx: Hex, amount: string) =>
      sendPayment(chat, {
        to: { type: "direct", address: bob },
        token: stack.chain.token,
        amount: GRAM(amount),
        recipient: bob,
        tx,
      });
    const ghost = await claim(keccak256(stringToHex("no such transaction")), "50");
    const elsewhere = await claim(toCarol.hash, "2");
    const less = await claim(toBob.hash, "10");
    const honest = await claim(toBob.hash, "1");

    const got = await ok("bob", ["chat", "read"]);
    const state = (id: Hex) => got.messages.find((m: { id: Hex }) => m.id === id)?.payment;
    expect(state(ghost.envelope.id)).toMatchObject({
      state: "unconfirmed",
      code: "NO_SUCH_TRANSACTION",
      reason: "NOT CONFIRMED: no such transaction",
    });
    expect(state(elsewhere.envelope.id)).toMatchObject({ state: "unconfirmed", code: "PAYS_SOMEONE_ELSE" });
    expect(state(elsewhere.envelope.id).reason).toContain(carol);
    expect(state(less.envelope.id)).toMatchObject({ state: "unconfirmed", code: "WRONG_AMOUNT" });
    expect(state(honest.envelope.id)).toMatchObject({ state: "confirmed" });

    // As text, for a person: marked, never shown as received.
    await claim(keccak256(stringToHex("another ghost")), "7");
    await chat.close();
    const text = await as("bob", ["chat", "read"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("~alice: PAYMENT 7 GRAM to you [NOT CONFIRMED: no such transaction]");
  });

  it("one transfer proves one payment: three request cards 'paid' by one transfer are one confirmed and two NOT CONFIRMED (duplicate), also after a restart", async () => {
    // biome-ignore lint/suspicious/noExplicitAny: JSON results are asserted on field by field.
    const asked: any[] = [];
    for (const memo of ["tea", "cake", "soup"]) asked.push(await ok("bob", ["chat", "request", alice, "4", memo]));
    await ok("alice", ["chat", "read"]);
    const paid = await ok("alice", ["chat", "pay-card", asked[0].messageId, "--yes"]);
    expect(paid).toMatchObject({ kind: "request", status: "success" });
    // Alice then says that the same transaction paid the other two requests as well.
    const chat = await connectChat({
      url: stack.chatUrl,
      account: localAccount(ROLE.payer),
      chainId: stack.chain.chainId,
      escrow: stack.chain.escrow,
      sync: false,
    });
    const claims = [];
    for (const card of asked.slice(1)) {
      claims.push(
        await sendPayment(chat, {
          to: { type: "direct", address: bob },
          token: stack.chain.token,
          amount: GRAM("4"),
          recipient: bob,
          tx: paid.hash,
          ref: card.messageId,
        }),
      );
    }
    await chat.close();
    const duplicate = {
      state: "unconfirmed",
      code: "DUPLICATE",
      reason: `NOT CONFIRMED: duplicate: transaction ${paid.hash} already confirmed payment message ${paid.messageId}`,
    };

    const got = await ok("bob", ["chat", "read"]);
    const payments = (got.messages as { id: Hex; outgoing: boolean; payment: unknown }[])
      .filter((m) => !m.outgoing)
      .map((m) => [m.id, m.payment]);
    expect(payments).toEqual([
      [paid.messageId, expect.objectContaining({ ref: asked[0].messageId, state: "confirmed", code: "CONFIRMED" })],
      ...claims.map((claim, i) => [
        claim.envelope.id,
        expect.objectContaining({ ref: asked[i + 1].messageId, tx: paid.hash, ...duplicate }),
      ]),
    ]);

    // A restart (a new process reading the same state) re-checks the two: still duplicates, nothing changed.
    const again = await ok("bob", ["chat", "read"]);
    expect(again.messages).toEqual([]);
    expect(again.updates).toEqual([]);
    const text = await as("bob", ["chat", "read"]);
    expect(text.stdout).toBe("no new messages\n");

    // A new client on the same state file sees the same envelopes again (a re-sync): the first stays
    // confirmed even when the duplicates are checked before it.
    const file = chatStateFile(home.bob, { chainId: stack.chain.chainId, address: bob, url: chatUrlOf(stack.chatUrl) });
    const state = await fileChatStateStore(file).load();
    if (state === undefined) throw new Error(`no chat state in ${file}`);
    expect(state.claims).toContainEqual({
      log: expect.stringMatching(
        new RegExp(`^${stack.chain.chainId}:${stack.chain.token.toLowerCase()}:${paid.hash}:\\d+$`),
      ),
      by: `${alice.toLowerCase()}:${paid.messageId}`,
    });
    const client = await createGramClient({
      publicClient: createPublicClient({ transport: http(stack.chain.url) }),
      chainId: stack.chain.chainId,
      contracts: { token: stack.chain.token, escrow: stack.chain.escrow },
      home: home.bob,
    });
    const tracker = createPaymentTracker({ client, state });
    const envelopeOf = (id: Hex) => {
      const record = state.payments.find((r) => r.envelope.id === id);
      if (record === undefined) throw new Error(`no record of ${id}`);
      const envelope = parseEnvelopeValue(record.envelope);
      return { envelope, conversation: conversationOf(envelope.from, envelope.to), outgoing: false };
    };
    for (const claim of [...claims].reverse()) {
      expect(await tracker.check(envelopeOf(claim.envelope.id))).toMatchObject(duplicate);
    }
    expect(await tracker.check(envelopeOf(paid.messageId))).toMatchObject({ state: "confirmed", tx: paid.hash });
  });

  it("a gasless chat payment whose relayer answers a transaction the chain does not know: RELAY_TX_UNKNOWN, and no payment message is sent (a lying relayer stand-in)", async () => {
    const liar = await startLyingRelayer(() => keccak256(stringToHex(`nowhere in the chat ${Math.random()}`)));
    try {
      const before = await balance(alice);
      const run = await stack.gram(
        ["chat", "pay", "@bob", "2.25", "--gasless", "--yes", "--json", ...pw(), "--node", liar.url],
        {
          home: home.alice,
          env: { GRAM_CHAT: stack.chatUrl },
        },
      );
      const request = liar.requests[0]?.body;
      expect(run.code).toBe(2);
      const { error } = jsonOf(run) as unknown as { error: Record<string, string> };
      expect(error.code).toBe("RELAY_TX_UNKNOWN");
      expect(error.message).toContain(
        `your authorization was not used; it stays valid until ${new Date(Number(request.validBefore) * 1000).toISOString().replace(".000Z", "Z")}`,
      );
      expect(error.hint).toContain(`gram authorization cancel ${request.nonce}`);
      expect(await balance(alice)).toBe(before);
      const got = await ok("bob", ["chat", "read"]);
      expect(
        (got.messages as { outgoing: boolean; type: string }[]).filter((m) => !m.outgoing && m.type === "payment"),
      ).toEqual([]);
    } finally {
      await liar.close();
    }
  });
});

describe("bad inputs to gram chat exit 1 with a clear message and move nothing", () => {
  it.each([
    [
      "an unknown @user",
      ["chat", "pay", "@nobody_here", "5"],
      "UNKNOWN_USER",
      "@nobody_here is neither a contact nor a user",
    ],
    ["too many decimals", ["chat", "pay", "@bob", "5.0000000001"], "INVALID_AMOUNT", "amount"],
    ["not a number", ["chat", "pay", "@bob", "five"], "INVALID_AMOUNT", "amount"],
    ["zero", ["chat", "pay", "@bob", "0"], "INVALID_AMOUNT", "0"],
    ["a request for nothing", ["chat", "request", "@bob", "0"], "INVALID_AMOUNT", "0"],
    ["a card id that is not hex", ["chat", "pay-card", "lunch"], "INVALID_CARD_ID", "expected a message id"],
    ["a card nobody sent", ["chat", "pay-card", "0xdeadbeef00"], "CARD_NOT_FOUND", "no request or invoice card"],
    ["a peer that is no peer", ["chat", "send", "bob", "hi"], "INVALID_PEER", "not @name"],
    [
      "a bad address checksum",
      ["chat", "send", bob.replace(/[a-f]/, (c) => c.toUpperCase()), "hi"],
      "ADDRESS_CHECKSUM",
      "checksum",
    ],
    ["text too long", ["chat", "send", "@bob", "x".repeat(4001)], "INVALID_MESSAGE", "expected 1 to 4000 characters"],
    ["a control character in a memo", ["chat", "pay", "@bob", "1", "a\u001b[2Jb"], "INVALID_MESSAGE", "memo"],
  ])("%s", async (_name, args, code, message) => {
    const before = {
      alice: await balance(alice),
      bob: await balance(bob),
      nonce: await stack.chain.client.getTransactionCount({ address: alice }),
    };
    const run = await as("alice", [...args, "--yes", "--json"]);
    expect(run.code, run.stdout).toBe(1);
    const { error } = jsonOf(run) as unknown as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    const text = await as("alice", [...args, "--yes"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`code: ${code}`);
    expect({
      alice: await balance(alice),
      bob: await balance(bob),
      nonce: await stack.chain.client.getTransactionCount({ address: alice }),
    }).toEqual(before);
  });

  it("a tip on a request, and paying one's own card, are refused", async () => {
    const asked = await ok("bob", ["chat", "request", "@alice", "1"]);
    await ok("alice", ["chat", "read"]);
    const tipped = await as("alice", ["chat", "pay-card", asked.messageId, "--tip", "1", "--yes", "--json"]);
    expect(tipped.code).toBe(1);
    expect(jsonOf(tipped).error).toMatchObject({
      code: "CARD_NOT_PAYABLE",
      message: "a tip is for invoices; this card is a request",
    });
    await ok("bob", ["chat", "read"]);
    const own = await as("bob", ["chat", "pay-card", asked.messageId, "--yes", "--json"]);
    expect(own.code).toBe(1);
    expect(jsonOf(own).error).toMatchObject({ code: "CARD_NOT_PAYABLE" });
  });

  it("an unreachable hub is a failure: exit 2", async () => {
    const run = await stack.gram(["chat", "send", "@bob", "hi", "--json", ...pw()], {
      home: home.alice,
      env: { GRAM_CHAT: "http://127.0.0.1:1" },
    });
    expect(run.code).toBe(2);
    expect(jsonOf(run).error).toMatchObject({ code: "CHAT_UNAVAILABLE" });
  });
});

it("no key material in any output", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
});
