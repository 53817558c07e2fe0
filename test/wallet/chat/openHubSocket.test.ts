// The hub socket over each WebSocket factory, against the fake hub of fake-hub.ts: answers matched to
// their requests, a hub's refusal as ChatRefusedError with its code, a server that serves no hub there
// (ws names its HTTP status; a standard WebSocket cannot), nothing listening, and a frame bigger than a
// hub may send (ws refuses it and the connection ends; a standard WebSocket takes it).
import { describe, expect, it } from "vitest";
import { HUB_FRAME_MAX_BYTES } from "../../../protocol/chat/frames.ts";
import { ChatRefusedError, ChatUnavailableError } from "../../../wallet/chat/errors.ts";
import { nodeWebSocket } from "../../../wallet/chat/nodeWebSocket.ts";
import { openHubSocket, type WebSocketFactory } from "../../../wallet/chat/openHubSocket.ts";
import { standardWebSocket } from "../../../wallet/chat/standardWebSocket.ts";
import { CHAIN_ID } from "../../kit/constants.ts";
import { closeAfterTest, fakeHub } from "../../kit/fake-hub.ts";

/** A hub that answers `big` with a frame of `bytes` characters. */
async function startHub() {
  return closeAfterTest(
    await fakeHub({
      chainId: CHAIN_ID,
      handle: (frame, { reply }) => {
        if (frame.op !== "big") return false;
        reply({ type: "big", filler: "x".repeat(frame.bytes) });
        return true;
      },
    }),
  );
}

async function open(url: string, webSocket: WebSocketFactory) {
  const closes: number[] = [];
  const socket = await openHubSocket({
    url,
    timeoutMs: 10_000,
    webSocket,
    onFrame: () => {},
    onClose: (code) => closes.push(code),
  });
  return { socket: closeAfterTest(socket), closes };
}

const failure = (run: Promise<unknown>) =>
  run.then(
    () => undefined,
    (error: unknown) => error,
  );

describe.each([
  ["nodeWebSocket", nodeWebSocket],
  ["standardWebSocket", standardWebSocket],
])("openHubSocket over %s", (name, webSocket) => {
  it("matches each answer to its request; a refusal is ChatRefusedError with the hub's code", async () => {
    const hub = await startHub();
    const { socket } = await open(hub.url, webSocket);
    const [challenge, acked] = await Promise.all([
      socket.request({ op: "challenge" }),
      socket.request({ op: "ack", seq: 4 }),
    ]);
    expect(challenge.type).toBe("challenge");
    expect(acked).toMatchObject({ type: "acked", seq: 4 });
    const refused = await failure(socket.request({ op: "nonsense" }));
    expect(refused).toBeInstanceOf(ChatRefusedError);
    expect(refused).toMatchObject({ code: "CHAT_UNKNOWN_OP", hubCode: "UNKNOWN_OP" });
  });

  it("a server with no hub at that path is CHAT_UNAVAILABLE (ws names its HTTP status)", async () => {
    const hub = await startHub();
    const url = hub.url.replace("/v1/chat", "/v2/chat");
    const refused = await failure(open(url, webSocket));
    expect(refused).toBeInstanceOf(ChatUnavailableError);
    expect((refused as ChatUnavailableError).shortMessage).toBe(
      name === "nodeWebSocket"
        ? `the server at ${url} answered HTTP 400: it serves no chat hub there`
        : `could not reach the chat hub at ${url}`,
    );
  });

  it("nothing listening is CHAT_UNAVAILABLE: could not reach the hub", async () => {
    const refused = await failure(open("ws://127.0.0.1:1/v1/chat", webSocket));
    expect(refused).toBeInstanceOf(ChatUnavailableError);
    expect((refused as ChatUnavailableError).shortMessage).toBe(
      "could not reach the chat hub at ws://127.0.0.1:1/v1/chat",
    );
  });

  it("closes cleanly: the hub sees the close, the socket is no longer open", async () => {
    const hub = await startHub();
    const { socket, closes } = await open(hub.url, webSocket);
    await socket.close();
    expect(socket.open).toBe(false);
    expect(closes).toEqual([1000]);
    const after = await failure(socket.request({ op: "challenge" }));
    expect(after).toBeInstanceOf(ChatUnavailableError);
  });
});

describe("a frame bigger than a hub may send", () => {
  it("ends the connection over ws, failing what waited for it", async () => {
    const hub = await startHub();
    const { socket, closes } = await open(hub.url, nodeWebSocket);
    const refused = await failure(socket.request({ op: "big", bytes: HUB_FRAME_MAX_BYTES + 4096 }));
    expect(refused).toBeInstanceOf(ChatUnavailableError);
    expect((refused as ChatUnavailableError).shortMessage).toMatch(/^the chat hub closed the connection \(\d+/);
    expect(closes).toHaveLength(1);
    expect(socket.open).toBe(false);
  });

  it("is taken by a standard WebSocket, which has no cap of its own", async () => {
    const hub = await startHub();
    const { socket } = await open(hub.url, standardWebSocket);
    const answer = await socket.request({ op: "big", bytes: HUB_FRAME_MAX_BYTES + 4096 });
    expect(answer.type).toBe("big");
  });
});
