// One WebSocket to the hub: frames out as JSON, answers matched to their requests by `ref`, everything
// else (inbox frames) handed to `onFrame`. Knows nothing of sign-in or inboxes.
import { WebSocket } from "ws";
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

export interface OpenHubSocketParameters {
  url: string;
  /** How long the connection and each answer may take. */
  timeoutMs: number;
  onFrame(frame: RawFrame): void;
  /** Called once when the connection ends, whoever ended it. */
  onClose(code: number, reason: string): void;
}

let refs = 0;

/**
 * Opens a WebSocket to the hub. Rejects with `ChatUnavailableError` when it cannot be reached or does not
 * serve a hub (a node without one answers 404).
 */
export function openHubSocket({ url, timeoutMs, onFrame, onClose }: OpenHubSocketParameters): Promise<HubSocket> {
  const pending = new Map<
    string,
    { resolve(frame: RawFrame): void; reject(error: Error): void; timer: NodeJS.Timeout }
  >();
  const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: HUB_FRAME_MAX_BYTES + 1024 });
  let closed: Promise<void> | undefined;
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));

  const failAll = (error: Error) => {
    for (const [ref, waiting] of pending) {
      clearTimeout(waiting.timer);
      pending.delete(ref);
      waiting.reject(error);
    }
  };

  socket.on("message", (data, isBinary) => {
    if (isBinary) return;
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null || typeof (frame as RawFrame).type !== "string") return;
    const ref = (frame as RawFrame).ref;
    const waiting = typeof ref === "string" ? pending.get(ref) : undefined;
    if (waiting !== undefined) {
      pending.delete(ref as string);
      clearTimeout(waiting.timer);
      const answer = frame as RawFrame;
      if (answer.type === "error") {
        const code = typeof answer.code === "string" ? answer.code : "UNKNOWN";
        const message = typeof answer.message === "string" ? answer.message : "refused";
        waiting.reject(new ChatRefusedError(code, `the chat hub refused: ${message}`, { details: code }));
      } else waiting.resolve(answer);
      return;
    }
    onFrame(frame as RawFrame);
  });

  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      reject(
        new ChatUnavailableError(
          status === undefined
            ? `could not reach the chat hub at ${url}`
            : `the server at ${url} answered HTTP ${status}: it serves no chat hub there`,
          {
            details: error.message,
            hint: "check --node (or --chat / GRAM_CHAT): the hub is the node's WebSocket /v1/chat",
            cause: error,
          },
        ),
      );
    };
    socket.once("error", onError);
    socket.once("open", () => {
      socket.off("error", onError);
      // After the handshake an error is followed by `close`, where it is reported.
      socket.on("error", () => {});
      socket.once("close", (code, reason) => {
        failAll(
          new ChatUnavailableError(`the chat hub closed the connection (${code}${reason.length ? `: ${reason}` : ""})`),
        );
        onClose(code, reason.toString());
      });
      resolve({
        get open() {
          return socket.readyState === socket.OPEN;
        },
        request(frame) {
          if (socket.readyState !== socket.OPEN) {
            return Promise.reject(new ChatUnavailableError("the connection to the chat hub is closed"));
          }
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
            socket.send(JSON.stringify({ ...frame, ref }));
          });
        },
        close() {
          closed ??= (async () => {
            if (socket.readyState === socket.CLOSED) return;
            socket.close(1000, "bye");
            const timer = setTimeout(() => socket.terminate(), 2_000);
            await ended;
            clearTimeout(timer);
          })();
          return closed;
        },
      });
    });
  });
}
