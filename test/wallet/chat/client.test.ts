// The chat client library (wallet/chat) over the real hub, its indexer and the chain, in this process:
// the inbox read across reconnects exactly once and in order, even while messages keep arriving; a
// payment confirmed by the chain, then un-confirmed when a reorg removes it (the hub's `reverted`
// status makes the client check again); and the state file written atomically, per account and hub.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createWalletClient, defineChain, http, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusUpdate } from "../../../protocol/chat/frames.ts";
import { createGramClient } from "../../../wallet/actions/client.ts";
import {
  type ChatEvent,
  ChatRefusedError,
  chatStateFile,
  connectChat,
  createPaymentTracker,
  fileChatStateStore,
  InvalidChatMessageError,
  memoryChatStateStore,
  type PaymentTracker,
  sendChatTransfer,
  sendText,
} from "../../../wallet/chat/index.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type CliChain, startCliChain } from "../../kit/cli-chain.ts";
import { serveHub } from "../../kit/serve-hub.ts";

let chain: CliChain;
let hub: Awaited<ReturnType<typeof serveHub>>;
let temp: string;
const aliceKey = localAccount(ROLE.payer);
const bobKey = localAccount(ROLE.other);
const bob = bobKey.address;

beforeAll(async () => {
  chain = await startCliChain();
  hub = await serveHub({ chain });
  temp = await mkdtemp(join(tmpdir(), "gram-chat-client-"));
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await chain?.close();
  await rm(temp, { recursive: true, force: true });
});

const params = (account: typeof aliceKey) => ({
  url: hub.url,
  account,
  chainId: chain.chainId,
  escrow: chain.escrow,
});

function collector() {
  const events: ChatEvent[] = [];
  return {
    events,
    onEvent: (event: ChatEvent) => {
      events.push(event);
    },
    texts: () =>
      events.flatMap((e) =>
        e.type === "message" && e.message.envelope.body.type === "text" ? [e.message.envelope.body.text] : [],
      ),
    seqs: () => events.flatMap((e) => ("seq" in e ? [e.seq] : [])),
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the inbox, across reconnects", () => {
  it("delivers what was missed, in order, once; the state survives in its file", async () => {
    const alice = await connectChat({ ...params(aliceKey), sync: false });
    const file = chatStateFile(temp, { chainId: chain.chainId, address: bob, url: alice.url });
    const first = collector();
    let bobChat = await connectChat({ ...params(bobKey), state: fileChatStateStore(file), onEvent: first.onEvent });
    await bobChat.synced;
    for (const i of [1, 2, 3]) await sendText(alice, { type: "direct", address: bob }, `before ${i}`);
    await until(() => first.texts().length === 3, "three live messages");
    await bobChat.close();

    for (const i of [1, 2, 3, 4]) await sendText(alice, { type: "direct", address: bob }, `while away ${i}`);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.lastSeq).toBe(3);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = collector();
    bobChat = await connectChat({ ...params(bobKey), state: fileChatStateStore(file), onEvent: second.onEvent });
    await bobChat.synced;
    expect(second.texts()).toEqual(["while away 1", "while away 2", "while away 3", "while away 4"]);
    expect(second.seqs()).toEqual([4, 5, 6, 7]);
    expect(second.events.at(-1)).toEqual({ type: "synced", lastSeq: 7 });
    await bobChat.close();

    const third = collector();
    bobChat = await connectChat({ ...params(bobKey), state: fileChatStateStore(file), onEvent: third.onEvent });
    await bobChat.synced;
    expect(third.texts()).toEqual([]);
    await bobChat.close();
    await alice.close();
  });

  it("a sync and live pushes that overlap still deliver each message once, in order", async () => {
    const carol = localAccount(ROLE.treasury);
    const alice = await connectChat({ ...params(aliceKey), sync: false });
    const state = memoryChatStateStore();
    // Carol's inbox, read from its start while alice keeps writing.
    const warmup = await connectChat({ ...params(carol), state });
    await warmup.synced;
    await warmup.close();
    const sending = (async () => {
      for (let i = 1; i <= 40; i++) await sendText(alice, { type: "direct", address: carol.address }, `m${i}`);
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const got = collector();
    const carolChat = await connectChat({ ...params(carol), state, onEvent: got.onEvent });
    await sending;
    await until(() => got.texts().length >= 40, "forty messages");
    expect(got.texts()).toEqual(Array.from({ length: 40 }, (_, i) => `m${i + 1}`));
    const seqs = got.events.flatMap((e) => (e.type === "message" ? [e.seq] : []));
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => (seqs[0] as number) + i));
    await carolChat.close();
    await alice.close();
  });
});

describe("what a user types", () => {
  it("is sent with every line break as \\n, tabs and ZWJ kept; an invisible character is refused before signing", async () => {
    const alice = await connectChat({ ...params(aliceKey), sync: false });
    try {
      const sent = await sendText(
        alice,
        { type: "direct", address: bob },
        "a\r\nb\rc\u2028d\u2029e\tf 👨\u200d👩\u200d👧",
      );
      expect(sent.envelope.body).toEqual({ type: "text", text: "a\nb\nc\nd\ne\tf 👨\u200d👩\u200d👧" });
      const refused = await sendText(alice, { type: "direct", address: bob }, "pay\u200bme").catch((error) => error);
      expect(refused).toBeInstanceOf(InvalidChatMessageError);
      expect(refused.message).toContain("contains U+200B at position 3");
    } finally {
      await alice.close();
    }
  });
});

describe("a message's own id", () => {
  it("is kept when given, so that a retry is stored once: the hub refuses the copy as REPLAYED", async () => {
    const alice = await connectChat({ ...params(aliceKey), sync: false });
    try {
      const id = `0x${"ab".repeat(31)}${Date.now().toString(16).slice(-2).padStart(2, "0")}` as const;
      const sent = await sendText(alice, { type: "direct", address: bob }, "typed offline", { id });
      expect(sent.envelope.id).toBe(id);
      const again = await sendText(alice, { type: "direct", address: bob }, "typed offline", { id }).catch(
        (error) => error,
      );
      expect(again).toBeInstanceOf(ChatRefusedError);
      expect(again.hubCode).toBe("REPLAYED");
      const fresh = await sendText(alice, { type: "direct", address: bob }, "another");
      expect(fresh.envelope.id).not.toBe(id);
    } finally {
      await alice.close();
    }
  });
});

describe("a dropped connection", () => {
  it("with reconnect, signs in again and syncs what arrived meanwhile, in order, once", async () => {
    // Clients reach this hub through a TCP proxy whose connections the test cuts.
    let proxyPort = 0;
    const proxied = await serveHub({ chain, signInHost: () => `127.0.0.1:${proxyPort}` });
    const open = new Set<Socket>();
    const proxy = createServer((socket) => {
      const upstream = connect(proxied.port, "127.0.0.1");
      for (const end of [socket, upstream]) {
        open.add(end);
        end.on("close", () => open.delete(end));
        end.on("error", () => {});
      }
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${proxyPort}`;
    try {
      const alice = await connectChat({ ...params(aliceKey), url, sync: false });
      const got = collector();
      const bobChat = await connectChat({ ...params(bobKey), url, reconnect: true, onEvent: got.onEvent });
      await bobChat.synced;
      await sendText(alice, { type: "direct", address: bob }, "one");
      await until(() => got.texts().length === 1, "the first message");
      await alice.close();

      for (const socket of open) socket.destroy();
      await until(() => got.events.some((e) => e.type === "disconnected"), "the drop");
      const other = await connectChat({ ...params(aliceKey), url, sync: false });
      for (const text of ["two", "three", "four"]) await sendText(other, { type: "direct", address: bob }, text);
      await until(() => got.texts().length === 4, "the messages sent while bob was away");
      expect(got.texts()).toEqual(["one", "two", "three", "four"]);
      expect(got.events.map((e) => e.type)).toContain("reconnected");
      const seqs = got.events.flatMap((e) => (e.type === "message" ? [e.seq] : []));
      expect(seqs).toEqual([1, 2, 3, 4]);
      await other.close();
      await bobChat.close();
    } finally {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
      await proxied.close();
    }
  });
});

describe("payments and the chain", () => {
  it("a confirmed payment is checked again on the hub's `reverted` status and is no longer confirmed", async () => {
    const chainDef = defineChain({
      id: chain.chainId,
      name: "Hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [chain.url] } },
    });
    const publicClient = createPublicClient({ chain: chainDef, transport: http(chain.url), pollingInterval: 50 });
    const client = await createGramClient({
      publicClient,
      walletClient: createWalletClient({ chain: chainDef, transport: http(chain.url), account: aliceKey }),
      chainId: chain.chainId,
      contracts: { token: chain.token, escrow: chain.escrow },
      home: join(temp, "alice-home"),
    });
    const alice = await connectChat({ ...params(aliceKey), sync: false });
    const statuses: StatusUpdate[] = [];
    const shown: { id: string; state: string; code: string }[] = [];
    let tracker: PaymentTracker | undefined;
    const bobChat = await connectChat({
      ...params(bobKey),
      state: memoryChatStateStore(),
      onEvent: async (event) => {
        if (tracker === undefined) return;
        if (event.type === "message" && event.message.envelope.body.type === "payment") {
          const v = await tracker.check(event.message);
          shown.push({ id: event.message.envelope.id, state: v.state, code: v.code });
        }
        if (event.type === "status") {
          statuses.push(event.status);
          for (const update of await tracker.hint(event.status)) {
            shown.push({ id: update.id, state: update.verification.state, code: update.verification.code });
          }
        }
      },
    });
    tracker = createPaymentTracker({ client, state: bobChat.state });
    await bobChat.synced;

    const snapshot = await chain.rpc("evm_snapshot");
    const paid = await sendChatTransfer(client, alice, {
      to: { type: "direct", address: bob },
      recipient: bob,
      amount: "1.5",
    });
    await publicClient.waitForTransactionReceipt({ hash: paid.hash });
    await until(() => shown.some((s) => s.id === paid.message.envelope.id), "bob to see the payment");
    expect(shown[0]).toEqual({ id: paid.message.envelope.id, state: "confirmed", code: "CONFIRMED" });
    // The indexer saw the transfer: the hub says so (a hint; the chain had already said it).
    await until(() => statuses.some((s) => s.state === "transfer" && s.tx === paid.hash), "the transfer status");

    // A reorg removes the block; the chain goes on without it.
    await chain.rpc("evm_revert", [snapshot]);
    for (let i = 0; i < 4; i++) await chain.rpc("evm_mine");
    await until(() => statuses.some((s) => s.state === "reverted" && s.tx === paid.hash), "the reverted status");
    expect(statuses.find((s) => s.state === "reverted")).toMatchObject({
      reverts: "transfer",
      tx: paid.hash,
      to: bob,
      amount: parseUnits("1.5", 9).toString(),
    });
    await until(() => shown.length > 1, "bob's client to check again");
    expect(shown.at(-1)).toEqual({ id: paid.message.envelope.id, state: "unconfirmed", code: "NO_SUCH_TRANSACTION" });
    expect(tracker?.get(paid.message.envelope.id)).toMatchObject({
      state: "unconfirmed",
      reason: "NOT CONFIRMED: no such transaction",
    });
    await bobChat.close();
    await alice.close();
  });
});
