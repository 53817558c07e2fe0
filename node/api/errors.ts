import type { ApiErrorCode } from "../../protocol/api.ts";
import { GramNodeError } from "../errors.ts";

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** An answer the API gives on purpose: `{ error: { code, message } }` with the code's HTTP status. */
export class ApiError extends GramNodeError {
  override name = "ApiError";
  readonly code: ApiErrorCode;
  readonly statusCode: number;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
    this.statusCode = STATUS[code];
  }

  toJSON() {
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
  if (api !== undefined) return { statusCode: api.statusCode, body: api.toJSON() };
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
