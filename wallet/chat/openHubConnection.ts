// A signed-in connection to the hub that, when asked to, survives a dropped socket: it signs in again
// with a growing pause between tries (250 ms, doubling up to 5 s) until it is back or closed. A hub that
// now asks for a sign-in elsewhere is not tried again: that is a refusal, not an outage.
import type { HubFrameOf } from "../../protocol/chat/frames.ts";
import { ChatSignInRefusedError } from "./errors.ts";
import { type HubSocket, openHubSocket, type RawFrame, type WebSocketFactory } from "./openHubSocket.ts";
import { type SignInToHubParameters, signInToHub } from "./signInToHub.ts";

export interface OpenHubConnectionParameters extends SignInToHubParameters {
  /** How long the connection and each answer may take. */
  timeoutMs: number;
  webSocket: WebSocketFactory;
  /** Every frame that answers no request: the inbox's pushes. */
  onFrame(frame: RawFrame): void;
  /** Sign in again after a dropped connection (default false). */
  reconnect?: boolean | undefined;
  /** The connection dropped (not called for `close`). */
  onDisconnected?(code: number, reason: string): void;
  /** Signed in again after a drop; requests go to the new socket. */
  onReconnected?(): void | Promise<void>;
}

export interface HubConnection {
  /** The hub's welcome at the first sign-in: where the inbox stood and what it recorded as read. */
  readonly welcome: HubFrameOf<"welcome">;
  /** The username the hub has for this account, as of the last sign-in. */
  readonly username: string | null;
  readonly open: boolean;
  /** Sends a frame on the current socket; rejects while the connection is down. */
  request(frame: Record<string, unknown>): Promise<RawFrame>;
  /** Stops reconnecting and closes the socket. */
  close(): Promise<void>;
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5_000;

/**
 * Opens a hub socket and signs in (see `signInToHub`: nothing is signed for another URL or chain).
 *
 * @example
 * const hub = await openHubConnection({ url, chainId, account, timeoutMs: 15_000, webSocket: nodeWebSocket,
 *   onFrame: (frame) => inbox.accept(frame), reconnect: true, onReconnected: () => inbox.sync() });
 * await hub.request({ op: "ack", seq: 7 });
 */
export async function openHubConnection(params: OpenHubConnectionParameters): Promise<HubConnection> {
  const { url, chainId, account, timeoutMs, webSocket, onFrame } = params;
  let socket: HubSocket;
  let username: string | null = null;
  let live = false;
  let closing = false;
  let wake: (() => void) | undefined;

  async function open() {
    const opened = await openHubSocket({ url, timeoutMs, webSocket, onFrame, onClose });
    try {
      const welcome = await signInToHub(opened, { url, chainId, account });
      socket = opened;
      username = welcome.username;
      live = true;
      return welcome;
    } catch (error) {
      await opened.close();
      throw error;
    }
  }

  function onClose(code: number, reason: string) {
    if (closing || !live) return;
    live = false;
    params.onDisconnected?.(code, reason);
    if (params.reconnect) void reconnect();
  }

  async function reconnect() {
    for (let pause = FIRST_PAUSE_MS; !closing; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      if (closing) return;
      try {
        await open();
      } catch (error) {
        if (error instanceof ChatSignInRefusedError) return;
        continue;
      }
      // Closed while signing in again: the new socket is not wanted.
      if (closing) return socket.close();
      await params.onReconnected?.();
      return;
    }
  }

  const welcome = await open();
  return {
    welcome,
    get username() {
      return username;
    },
    get open() {
      return socket.open;
    },
    request: (frame) => socket.request(frame),
    async close() {
      closing = true;
      wake?.();
      await socket.close();
    },
  };
}
