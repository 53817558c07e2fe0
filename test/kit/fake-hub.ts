// A test WebSocket server speaking the chat hub's protocol on /v1/chat, standing in for a compromised or
// malicious hub (the real hub's own checks make its lies impossible to reproduce with it), or for a hub
// that misbehaves on cue: it drops every socket when told to (`drop`). It serves a fixed inbox: it answers
// `challenge`, `signin`, `sync` and `ack` as a hub would, and leaves any other op to the test's `handle`,
// or refuses it with UNKNOWN_OP.
import type { AddressInfo } from "node:net";
import { parseSiweMessage } from "viem/siwe";
import { afterEach } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { type ChatAccount, type ChatConnection, connectChat } from "../../wallet/chat/connectChat.ts";
import { CHAIN_ID, ESCROW } from "./constants.ts";

// biome-ignore lint/suspicious/noExplicitAny: frames are built and read loosely on purpose.
export type Frame = any;

/** What a sign-in challenge names: the server's own host, its URL and the chain. */
export interface HubSignIn {
  domain: string;
  uri: string;
  chainId: number;
}

export interface FakeHubOptions {
  chainId: number;
  /** What the challenge names instead, given the server's own sign-in fields. */
  challenge?: (own: HubSignIn) => Partial<HubSignIn>;
  /** The inbox, frames with seqs 1, 2, 3…, built once the server listens. */
  inbox?: () => Promise<Frame[]>;
  /**
   * Answers an op the fake hub does not; returns false to leave it refused. `append` adds a frame to the
   * inbox with the next seq, sends it on this connection and returns the seq; `store` adds it without
   * sending it (a push that went missing).
   */
  handle?: (
    frame: Frame,
    tools: { reply(answer: Frame): void; append(frame: Frame): number; store(frame: Frame): number },
  ) => boolean | Promise<boolean>;
}

export async function fakeHub(options: FakeHubOptions) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/v1/chat" });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const own: HubSignIn = {
    domain: `127.0.0.1:${port}`,
    uri: `ws://127.0.0.1:${port}/v1/chat`,
    chainId: options.chainId,
  };
  const inbox: Frame[] = (await options.inbox?.()) ?? [];
  const received: Frame[] = [];
  server.on("connection", (socket: WebSocket) => {
    const store = (frame: Frame) => {
      const entry = { ...frame, seq: inbox.length + 1 };
      inbox.push(entry);
      return entry;
    };
    const append = (frame: Frame) => {
      const entry = store(frame);
      socket.send(JSON.stringify(entry));
      return entry.seq;
    };
    socket.on("message", async (data) => {
      const frame = JSON.parse(data.toString());
      received.push(frame);
      const reply = (answer: Frame) => socket.send(JSON.stringify({ ...answer, ref: frame.ref }));
      switch (frame.op) {
        case "challenge":
          reply({
            type: "challenge",
            nonce: "a1b2c3d4e5f6a7b8",
            ...own,
            ...options.challenge?.(own),
            expiresAt: Date.now() + 600_000,
          });
          return;
        case "signin":
          reply({
            type: "welcome",
            address: parseSiweMessage(frame.message).address,
            username: null,
            lastSeq: inbox.length,
            ackedSeq: 0,
          });
          return;
        case "sync":
          for (const entry of inbox.filter((entry) => entry.seq > frame.after)) socket.send(JSON.stringify(entry));
          reply({ type: "synced", lastSeq: inbox.length, more: false });
          return;
        case "ack":
          reply({ type: "acked", seq: frame.seq });
          return;
      }
      if (!(await options.handle?.(frame, { reply, append, store: (stored) => store(stored).seq }))) {
        reply({ type: "error", code: "UNKNOWN_OP", message: "not served here" });
      }
    });
  });
  return {
    url: own.uri,
    /** Every frame the clients sent, in order. */
    received,
    /** `account` signed in with the chat client (escrow: the test deployment's address), inbox left unread. */
    connect: (account: ChatAccount) =>
      connectChat({ url: own.uri, account, chainId: options.chainId, escrow: ESCROW, sync: false }),
    /** Drops every connection without a close (as a network that fails); the server goes on listening. */
    drop: () => {
      for (const client of server.clients) client.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const toClose: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const open of toClose.splice(0).reverse()) await open.close();
});

/** Closes `open` (a hub, a socket, a connection) after the test, the last opened first. */
export function closeAfterTest<T extends { close(): Promise<unknown> }>(open: T): T {
  toClose.push(open);
  return open;
}

/**
 * A fake hub on the test chain that answers `op` with `answer(frame)`, and `account` signed in to it with
 * the chat client; both closed after the test.
 */
export async function chatAnswering(
  account: ChatAccount,
  op: string,
  answer: (frame: Frame) => Frame,
): Promise<{ hub: Awaited<ReturnType<typeof fakeHub>>; chat: ChatConnection }> {
  const hub = closeAfterTest(
    await fakeHub({
      chainId: CHAIN_ID,
      handle: (frame, { reply }) => {
        if (frame.op !== op) return false;
        reply(answer(frame));
        return true;
      },
    }),
  );
  return { hub, chat: closeAfterTest(await hub.connect(account)) };
}
