import {
  API_ERROR_STATUS,
  type ApiErrorCode,
  type StreamServerMessage,
  streamServerMessageSchema,
} from "../../protocol/api.ts";
import { ROUTES } from "../../protocol/routes.ts";
import { NodeRequestError, NodeUnavailableError } from "../errors.ts";
import type { NodeClient } from "./createNodeClient.ts";

/** What to follow: addresses (EIP-55 or lowercase) and invoice ids. */
export interface StreamTopics {
  addresses?: readonly string[] | undefined;
  invoices?: readonly string[] | undefined;
}

/** An event or a revert, as the node sends them once subscribed. */
export type StreamUpdate = Extract<StreamServerMessage, { type: "event" | "reverted" }>;

export interface SubscribeStreamParameters extends StreamTopics {
  /** Each indexed event touching what is followed, and each `reverted` after a reorg, in order. */
  onUpdate(update: StreamUpdate): void;
  /** A message that is not what the API says, or the connection lost: the subscription is over. */
  onError?: ((error: NodeUnavailableError) => void) | undefined;
}

export interface StreamSubscription {
  /** Follows more; resolves with everything followed once the node confirms. */
  subscribe(topics: StreamTopics): Promise<Followed>;
  /** Stops following some; resolves with what is still followed. */
  unsubscribe(topics: StreamTopics): Promise<Followed>;
  /** Closes the connection. */
  close(): void;
}

/** What the connection follows, as the node confirms it (addresses checksummed). */
export type Followed = Omit<Extract<StreamServerMessage, { type: "subscribed" }>, "type">;

export type SubscribeStreamReturnType = StreamSubscription & { followed: Followed };

/**
 * Opens `/v1/stream` (WebSocket), follows `addresses` and `invoices`, and hands each indexed event touching
 * them to `onUpdate` as the node commits it, and a `reverted` when a reorg removes one. Resolves once the
 * node has confirmed the subscription. A subscription the node refuses (a malformed address, more than it
 * allows) rejects with a NodeRequestError; every message is checked against the API's schema.
 *
 * @example
 * const stream = await subscribeStream(node, {
 *   addresses: [merchant],
 *   onUpdate: (update) => console.log(update.type, update.event.kind, update.event.tx),
 * });
 * stream.close();
 */
export async function subscribeStream(
  client: NodeClient,
  { addresses, invoices, onUpdate, onError }: SubscribeStreamParameters,
): Promise<SubscribeStreamReturnType> {
  const { transport } = client;
  const socket = await transport.connect(ROUTES.stream);
  // The node answers each (un)subscribe in order: the oldest waiting one gets the next answer.
  const waiting: {
    resolve(followed: Followed): void;
    reject(error: Error): void;
    timer: ReturnType<typeof setTimeout>;
  }[] = [];
  let ended = false;

  /** The end of the subscription: what waits for an answer gets `error`; `onError` too, unless the caller closed it. */
  const end = (error: NodeUnavailableError, report = true) => {
    if (ended) return;
    ended = true;
    for (const { reject, timer } of waiting.splice(0)) {
      clearTimeout(timer);
      reject(error);
    }
    if (report) onError?.(error);
  };

  socket.addEventListener("message", (event: { data: unknown }) => {
    if (ended) return;
    let message: StreamServerMessage;
    try {
      message = streamServerMessageSchema.parse(JSON.parse(String(event.data)));
    } catch {
      end(new NodeUnavailableError(`the node's ${ROUTES.stream} sent a message that is not what the API says`));
      socket.close();
      return;
    }
    if (message.type === "event" || message.type === "reverted") {
      onUpdate(message);
      return;
    }
    const next = waiting.shift();
    if (next === undefined) return;
    clearTimeout(next.timer);
    if (message.type === "subscribed") next.resolve({ addresses: message.addresses, invoices: message.invoices });
    else next.reject(streamRefusal(message.error));
  });
  socket.addEventListener("close", (event: { code?: number; reason?: string }) => {
    end(
      new NodeUnavailableError(`the node closed ${ROUTES.stream}`, {
        details: `${event.code ?? "no code"}${event.reason ? `: ${event.reason}` : ""}`,
      }),
    );
  });

  const send = (key: "subscribe" | "unsubscribe", topics: StreamTopics) =>
    new Promise<Followed>((resolve, reject) => {
      if (ended) {
        reject(new NodeUnavailableError(`the node's ${ROUTES.stream} is closed`));
        return;
      }
      const timer = setTimeout(() => {
        end(
          new NodeUnavailableError(`the node did not answer on ${ROUTES.stream} within ${transport.timeout / 1000} s`),
        );
        socket.close();
      }, transport.timeout);
      waiting.push({ resolve, reject, timer });
      socket.send(JSON.stringify({ [key]: { addresses: topics.addresses ?? [], invoices: topics.invoices ?? [] } }));
    });

  const subscription: StreamSubscription = {
    subscribe: (topics) => send("subscribe", topics),
    unsubscribe: (topics) => send("unsubscribe", topics),
    close() {
      end(new NodeUnavailableError(`the ${ROUTES.stream} subscription was closed`), false);
      socket.close(1000);
    },
  };
  try {
    return { ...subscription, followed: await subscription.subscribe({ addresses, invoices }) };
  } catch (error) {
    subscription.close();
    throw error;
  }
}

/** The node's refusal of a subscription, as the HTTP routes would have refused it. */
function streamRefusal({ code, message }: { code: string; message: string }): NodeRequestError | NodeUnavailableError {
  const status = API_ERROR_STATUS[code as ApiErrorCode] ?? 400;
  const what = { status, nodeCode: code, nodeMessage: message, details: code };
  if (status >= 500) return new NodeUnavailableError(`the node failed on ${ROUTES.stream}: ${message}`, what);
  return new NodeRequestError(`the node refused the subscription: ${message}`, what);
}
