// One WebSocket to the hub: frames out as JSON, answers matched to their requests by `ref`, everything
// else (inbox frames) handed to `onFrame`. Knows nothing of sign-in or inboxes, nor of which WebSocket
// carries the frames: a `WebSocketFactory` opens it (`standardWebSocket` in a browser or Node ≥ 22,
// `nodeWebSocket` over the `ws` package), so that this file runs anywhere.
import { HUB_FRAME_MAX_BYTES } from "../../protocol/chat/frames.ts";
import { ChatRefusedError, ChatUnavailableError } from "./errors.ts";

/** A hub frame as received: JSON, not yet checked beyond being an object with a `type`. */
export type RawFrame = Record<string, unknown> & { type: string };

export interface HubSocket {
  /** Sends `frame` with a fresh `ref`; resolves with the answer carrying it, rejects on an `error` answer. */
  request(frame: Record<string, unknown>): Promise<RawFrame>;
  readonly open: boolean;
  /** Closes cleanly (1000); resolves once closed. */
  close(): Promise<void>;
}

/** What a factory reports of its WebSocket. */
export interface WebSocketEvents {
  open(): void;
  /** A text frame (binary frames are not passed on: the hub sends none). */
  text(data: string): void;
  /** The connection could not be opened; `status` is the HTTP status of a refused upgrade, when known. */
  failed(failure: { message: string; status?: number | undefined; cause?: unknown }): void;
  /** The connection ended, once, whether it had opened or not. */
  closed(code: number, reason: string): void;
}

/** An opened (or opening) WebSocket, as a hub socket uses it. */
export interface WebSocketWire {
  readonly isOpen: boolean;
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Drops the connection without the closing handshake (a hub that does not answer a close). */
  terminate(): void;
}

/**
 * Opens a WebSocket to `url` and reports its events; `maxBytes` is the largest frame the hub may send,
 * which a factory that can refuse bigger ones does.
 */
export type WebSocketFactory = (url: string, events: WebSocketEvents, limits: { maxBytes: number }) => WebSocketWire;

export interface OpenHubSocketParameters {
  url: string;
  /** How long the connection and each answer may take. */
  timeoutMs: number;
  webSocket: WebSocketFactory;
  onFrame(frame: RawFrame): void;
  /** Called once when an opened connection ends, whoever ended it. */
  onClose(code: number, reason: string): void;
}

const HINT = "check --node (or --chat / GRAM_CHAT): the hub is the node's WebSocket /v1/chat";
/** After a clean close that the hub does not answer, the connection is dropped. */
const CLOSE_GRACE_MS = 2_000;

let refs = 0;

/**
 * Opens a WebSocket to the hub. Rejects with `ChatUnavailableError` when it cannot be reached or does not
 * serve a hub (a node without one answers 404).
 *
 * @example
 * const socket = await openHubSocket({ url: "ws://127.0.0.1:8787/v1/chat", timeoutMs: 15_000,
 *   webSocket: nodeWebSocket, onFrame: (frame) => inbox.accept(frame), onClose: () => {} });
 * const challenge = await socket.request({ op: "challenge" });
 */
export function openHubSocket({ url, timeoutMs, webSocket, onFrame, onClose }: OpenHubSocketParameters) {
  const pending = new Map<
    string,
    { resolve(frame: RawFrame): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }
  >();
  let opened = false;
  let ended = false;
  const endWaiters: (() => void)[] = [];

  const failAll = (error: Error) => {
    for (const [ref, waiting] of pending) {
      clearTimeout(waiting.timer);
      pending.delete(ref);
      waiting.reject(error);
    }
  };

  const receive = (data: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null || typeof (frame as RawFrame).type !== "string") return;
    const answer = frame as RawFrame;
    const waiting = typeof answer.ref === "string" ? pending.get(answer.ref) : undefined;
    if (waiting === undefined) return onFrame(answer);
    pending.delete(answer.ref as string);
    clearTimeout(waiting.timer);
    if (answer.type !== "error") return waiting.resolve(answer);
    const code = typeof answer.code === "string" ? answer.code : "UNKNOWN";
    const message = typeof answer.message === "string" ? answer.message : "refused";
    waiting.reject(new ChatRefusedError(code, `the chat hub refused: ${message}`, { details: code }));
  };

  return new Promise<HubSocket>((resolve, reject) => {
    let handshake: ReturnType<typeof setTimeout> | undefined;
    const unreachable = (failure: { message: string; status?: number | undefined; cause?: unknown }) => {
      clearTimeout(handshake);
      reject(
        new ChatUnavailableError(
          failure.status === undefined
            ? `could not reach the chat hub at ${url}`
            : `the server at ${url} answered HTTP ${failure.status}: it serves no chat hub there`,
          { details: failure.message, hint: HINT, cause: failure.cause },
        ),
      );
    };
    const wire = webSocket(
      url,
      {
        open() {
          clearTimeout(handshake);
          opened = true;
          resolve(socket);
        },
        text(data) {
          if (opened) receive(data);
        },
        failed(failure) {
          if (!opened) unreachable(failure);
        },
        closed(code, reason) {
          ended = true;
          for (const wake of endWaiters.splice(0)) wake();
          if (!opened) return unreachable({ message: `closed before it opened (${code})` });
          failAll(
            new ChatUnavailableError(
              `the chat hub closed the connection (${code}${reason.length ? `: ${reason}` : ""})`,
            ),
          );
          onClose(code, reason);
        },
      },
      { maxBytes: HUB_FRAME_MAX_BYTES + 1024 },
    );
    // A browser's WebSocket has no handshake timeout of its own.
    handshake = setTimeout(() => {
      unreachable({ message: "Opening handshake has timed out" });
      wire.terminate();
    }, timeoutMs);

    let closing: Promise<void> | undefined;
    const socket: HubSocket = {
      get open() {
        return wire.isOpen;
      },
      request(frame) {
        if (!wire.isOpen) return Promise.reject(new ChatUnavailableError("the connection to the chat hub is closed"));
        const ref = `c${++refs}`;
        return new Promise<RawFrame>((resolveAnswer, rejectAnswer) => {
          const timer = setTimeout(() => {
            pending.delete(ref);
            rejectAnswer(
              new ChatUnavailableError(
                `the chat hub did not answer "${String(frame.op)}" within ${timeoutMs / 1000} s`,
              ),
            );
          }, timeoutMs);
          pending.set(ref, { resolve: resolveAnswer, reject: rejectAnswer, timer });
          wire.send(JSON.stringify({ ...frame, ref }));
        });
      },
      close() {
        closing ??= (async () => {
          if (ended) return;
          let timer: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((wake) => {
            endWaiters.push(wake);
            wire.close(1000, "bye");
            timer = setTimeout(() => {
              wire.terminate();
              wake();
            }, CLOSE_GRACE_MS);
          });
          clearTimeout(timer);
        })();
        return closing;
      },
    };
  });
}
