// The hub socket's WebSocket in Node, over the `ws` package: it refuses a frame bigger than the hub may
// send (a hostile hub cannot make the client buffer without end), and it tells the HTTP status of a
// refused upgrade (a node without a hub answers 404), which a standard WebSocket keeps to itself.
import { WebSocket } from "ws";
import type { WebSocketFactory } from "./openHubSocket.ts";

/**
 * Opens the hub's WebSocket with `ws`. The CLI and the Node scripts pass it to `connectChat`; a page
 * leaves the default (`standardWebSocket`).
 *
 * @example
 * const chat = await connectChat({ url, account, chainId, escrow, webSocket: nodeWebSocket });
 */
export const nodeWebSocket: WebSocketFactory = (url, events, { maxBytes }) => {
  const socket = new WebSocket(url, { maxPayload: maxBytes });
  let opened = false;
  socket.once("open", () => {
    opened = true;
    events.open();
  });
  socket.on("message", (data, isBinary) => {
    if (!isBinary) events.text(data.toString());
  });
  // After the handshake an error is followed by `close`, where it is reported; before it, it is the reason.
  socket.on("error", (error) => {
    if (opened) return;
    const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
    events.failed({ message: error.message, status: status === undefined ? undefined : Number(status), cause: error });
  });
  socket.once("close", (code, reason) => events.closed(code, reason.toString()));
  return {
    get isOpen() {
      return socket.readyState === socket.OPEN;
    },
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    terminate: () => socket.terminate(),
  };
};
