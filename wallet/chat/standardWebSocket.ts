// The hub socket's WebSocket where the platform has one: every browser, and Node from 22 on (the global
// `WebSocket`). It cannot tell why an upgrade was refused, nor cap the size of a frame: in Node,
// `nodeWebSocket` does both.
import type { WebSocketFactory } from "./openHubSocket.ts";

/**
 * Opens the hub's WebSocket with the platform's own `WebSocket`: `connectChat`'s default.
 *
 * @example
 * const chat = await connectChat({ url, account, chainId, escrow, webSocket: standardWebSocket });
 */
export const standardWebSocket: WebSocketFactory = (url, events) => {
  const socket = new WebSocket(url);
  let opened = false;
  socket.addEventListener("open", () => {
    opened = true;
    events.open();
  });
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") events.text(event.data);
  });
  socket.addEventListener("error", (event) => {
    if (opened) return;
    // Browsers say nothing more; Node's WebSocket gives a message.
    const message = (event as { message?: unknown }).message;
    events.failed({ message: typeof message === "string" && message !== "" ? message : "the WebSocket failed" });
  });
  socket.addEventListener("close", (event) => events.closed(event.code, event.reason));
  return {
    get isOpen() {
      return socket.readyState === socket.OPEN;
    },
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    // A standard WebSocket has no harder way to end than `close`, which it has already been asked to do.
    terminate: () => {
      if (socket.readyState === socket.CONNECTING) socket.close();
    },
  };
};
