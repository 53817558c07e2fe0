import { maxHeaderSize, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { type ApiErrorCode, API_ERROR_STATUS as STATUS } from "../../protocol/api.ts";
import { statusKind } from "../../protocol/errors.ts";
import { GramNodeError } from "../errors.ts";

/** An answer the API gives on purpose: `{ error: { code, message } }` with the code's HTTP status. */
export class ApiError extends GramNodeError {
  override name = "ApiError";
  override readonly code: ApiErrorCode;
  readonly statusCode: number;

  constructor(code: ApiErrorCode, message: string) {
    super(message, { kind: statusKind(STATUS[code]) });
    this.code = code;
    this.statusCode = STATUS[code];
  }

  /** The response body: `{ error: { code, message } }`. */
  body(): ErrorReply["body"] {
    return { error: { code: this.code, message: this.shortMessage } };
  }
}

export interface ErrorReply {
  statusCode: number;
  body: { error: { code: string; message: string } };
}

/**
 * The API's answer for any error thrown in a route, a hook or by fastify itself (body parsing, size
 * limits). A plugin's error that carries a 4xx/5xx `statusCode` and an upper-case `code` (the
 * relayer's `INVALID_SIGNATURE`) keeps both; anything unexpected is a 500 that says nothing more.
 */
export function errorReply(error: unknown): ErrorReply {
  const api = asApiError(error);
  if (api !== undefined) return { statusCode: api.statusCode, body: api.body() };
  const { statusCode, code, message } = error as { statusCode: number; code: string; message: unknown };
  return { statusCode, body: { error: { code, message: typeof message === "string" ? message : code } } };
}

function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "request failed";
  switch (code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("PAYLOAD_TOO_LARGE", "the request body is over the size limit");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError("UNSUPPORTED_MEDIA_TYPE", "expected a body of type application/json");
  }
  if (typeof statusCode !== "number" || statusCode < 400 || statusCode > 599)
    return new ApiError("INTERNAL", "internal error");
  if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code) && !code.startsWith("FST_")) return undefined;
  if (statusCode === 413) return new ApiError("PAYLOAD_TOO_LARGE", text);
  if (statusCode === 415) return new ApiError("UNSUPPORTED_MEDIA_TYPE", text);
  if (statusCode === 429) return new ApiError("RATE_LIMITED", text);
  if (statusCode === 404) return new ApiError("NOT_FOUND", text);
  if (statusCode < 500) return new ApiError("BAD_REQUEST", text);
  return new ApiError("INTERNAL", "internal error");
}

/**
 * The API's answer to an error Node's HTTP parser raised before there was a request to route: a bad
 * request line, headers (with the URL and its query) over the size limit, conflicting Content-Length and
 * Transfer-Encoding, a request not received in time.
 */
export function clientErrorReply(error: { code?: unknown; reason?: unknown }): ErrorReply {
  const api =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new ApiError(
          "HEADERS_TOO_LARGE",
          `the request line and headers are over ${maxHeaderSize} bytes; expected a shorter URL, query and headers`,
        )
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new ApiError("REQUEST_TIMEOUT", "the request was not received in time; send it again")
        : new ApiError(
            "BAD_REQUEST",
            `malformed HTTP request: ${typeof error.reason === "string" ? error.reason : "unreadable"} (${String(error.code)}); expected HTTP/1.1 such as "GET /v1/status HTTP/1.1"`,
          );
  return { statusCode: api.statusCode, body: api.body() };
}

/**
 * Answers a parser error on `socket` in the API's JSON shape (fastify's `clientErrorHandler`), then closes
 * the connection: what follows on it cannot be told apart from the bad request. Nothing is written when a
 * response is already under way on the socket, so as never to corrupt it.
 */
export function answerClientError(error: NodeJS.ErrnoException & { reason?: unknown }, socket: Socket) {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { statusCode, body } = clientErrorReply(error);
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    () => socket.destroy(),
  );
}
