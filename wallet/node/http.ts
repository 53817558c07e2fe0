// The one way to reach a gram node: fetch with one timeout, answers read as JSON, and every failure
// mapped to a wallet error in one place. A node that cannot be reached, does not answer in time, fails
// (5xx) or answers something that is not its JSON is `NodeUnavailableError` (a failure: exit 2); a
// request it refuses with its `{ error: { code, message } }` (4xx) is `NodeRequestError`. Runs in Node and
// in a browser: nothing Node-only is imported at the top level.
import { apiErrorSchema } from "../../protocol/api.ts";
import { NodeRequestError, NodeUnavailableError } from "../errors.ts";

/** How long one request (or a WebSocket's opening, or an answer on it) may take, unless the transport says. */
export const DEFAULT_NODE_TIMEOUT_MS = 10_000;

export interface NodeRequest {
  method: "GET" | "POST";
  /** A route's path (`routePath`), resolved under the node's URL. */
  path: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | undefined> | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** The caller's own abort: its reason is thrown as is. */
  signal?: AbortSignal | undefined;
}

/** What both WebSocket implementations (the `ws` package, a browser's) offer and the client uses. */
export interface NodeSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error" | "message", listener: (event: never) => void): void;
}

export interface NodeTransport {
  /** The node's base URL, as given. */
  readonly url: string;
  readonly timeout: number;
  /** One HTTP request: the JSON of a 2xx answer; anything else thrown as a wallet error. */
  request(request: NodeRequest): Promise<unknown>;
  /** Opens a WebSocket at `path` (`ws:` for `http:`, `wss:` for `https:`) and resolves once it is open. */
  connect(path: string): Promise<NodeSocket>;
}

export interface HttpTransportOptions {
  /** @default 10_000 */
  timeout?: number | undefined;
}

/**
 * A transport over HTTP (and WebSocket for the stream) to the node at `url`. A path prefix in `url` is
 * kept: `https://host/gram` serves `https://host/gram/v1/status`.
 *
 * @example
 * const client = createNodeClient({ transport: http("http://127.0.0.1:8787", { timeout: 5_000 }) });
 */
export function http(url: string, { timeout = DEFAULT_NODE_TIMEOUT_MS }: HttpTransportOptions = {}): NodeTransport {
  const base = url.endsWith("/") ? url : `${url}/`;
  const resolve = (path: string) => new URL(path.replace(/^\//, ""), base);

  return {
    url,
    timeout,
    async request({ method, path, query, body, signal }) {
      const target = resolve(path);
      for (const [name, value] of Object.entries(query ?? {})) {
        if (value !== undefined) target.searchParams.set(name, String(value));
      }
      const what = `${method} ${target.pathname}`;
      const timer = AbortSignal.timeout(timeout);
      const unreachable = (cause: unknown) => {
        if (signal?.aborted) throw signal.reason;
        if (timer.aborted) {
          throw new NodeUnavailableError(
            `the node at ${target.origin} did not answer ${what} within ${timeout / 1000} s`,
            {
              cause,
              hint: "check --node, or try again",
            },
          );
        }
        throw new NodeUnavailableError(`could not reach the node at ${target.origin}`, { cause, hint: "check --node" });
      };
      let status: number;
      let text: string;
      try {
        const response = await fetch(target, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
          signal: signal === undefined ? timer : AbortSignal.any([signal, timer]),
        });
        status = response.status;
        text = await response.text();
      } catch (cause) {
        return unreachable(cause);
      }
      return answer(what, status, text);
    },
    connect: (path) => openSocket(resolve(path), timeout),
  };
}

/** The JSON of a 2xx answer, or the error the status and the body make. */
function answer(what: string, status: number, text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NodeUnavailableError(`the node answered ${what} with ${status} and something that is not JSON`, {
      status,
      details: text.slice(0, 200),
    });
  }
  if (status >= 200 && status < 300) return json;
  const parsed = apiErrorSchema.safeParse(json);
  if (!parsed.success) {
    throw new NodeUnavailableError(`the node answered ${what} with ${status} and no error of its API`, {
      status,
      details: text.slice(0, 200),
    });
  }
  // The code becomes part of the wallet's own (`NODE_…`, `RELAY_…`): only a plain one is taken as is.
  const nodeCode = /^[A-Z_]{1,40}$/.test(parsed.data.error.code) ? parsed.data.error.code : "UNKNOWN";
  const nodeMessage = parsed.data.error.message;
  const details = `${nodeCode} (HTTP ${status})`;
  if (status >= 400 && status < 500) {
    throw new NodeRequestError(`the node refused ${what}: ${nodeMessage}`, {
      status,
      nodeCode,
      nodeMessage,
      details,
      ...(status === 429 ? { hint: "wait a little and try again" } : {}),
    });
  }
  throw new NodeUnavailableError(`the node answered ${status}: ${nodeMessage}`, {
    status,
    nodeCode,
    nodeMessage,
    details,
  });
}

/** A WebSocket to `url` once open: the `ws` package in Node, the browser's own elsewhere. */
async function openSocket(url: URL, timeout: number): Promise<NodeSocket> {
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const isNode = typeof process !== "undefined" && process.versions?.node !== undefined;
  const socket: NodeSocket = isNode
    ? (new (await import("ws")).WebSocket(url, { handshakeTimeout: timeout }) as unknown as NodeSocket)
    : (new WebSocket(url) as unknown as NodeSocket);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(
        new NodeUnavailableError(`the node at ${url.origin} did not open ${url.pathname} within ${timeout / 1000} s`),
      );
    }, timeout);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      resolve();
    });
    // `ws` says why ("Unexpected server response: 503"); a browser says nothing.
    socket.addEventListener("error", (event: { message?: unknown }) => {
      clearTimeout(timer);
      reject(
        new NodeUnavailableError(`could not open the node's ${url.pathname} at ${url.origin}`, {
          ...(typeof event.message === "string" ? { details: event.message } : {}),
          hint: "check --node",
        }),
      );
    });
  });
  return socket;
}
