import { statusKind } from "../../protocol/errors.ts";
import type { RelayErrorCode } from "../../protocol/relay.ts";
import { GramNodeError, type GramNodeErrorParameters } from "../errors.ts";

const STATUS: Partial<Record<RelayErrorCode, number>> = { RATE_LIMITED: 429, RELAYER_UNAVAILABLE: 503 };

/**
 * The relayer refused a request, before spending gas, with one of the protocol's `RelayErrorCode`s. Its
 * `shortMessage` is what the wallet shows; `statusCode` is the HTTP status (400 unless the code says otherwise).
 */
export class RelayError extends GramNodeError {
  override name = "RelayError";
  override readonly code: RelayErrorCode;
  readonly statusCode: number;
  /** For `RATE_LIMITED` and a spent budget: seconds until the client may try again (`Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: RelayErrorCode,
    shortMessage: string,
    {
      retryAfterSeconds,
      status,
      ...rest
    }: GramNodeErrorParameters & { retryAfterSeconds?: number; status?: number } = {},
  ) {
    const statusCode = status ?? STATUS[code] ?? 400;
    super(shortMessage, { ...rest, kind: statusKind(statusCode) });
    this.code = code;
    this.statusCode = statusCode;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The relayer itself cannot work right now (RPC down, out of gas money, its hourly budget spent, too
 * many of its transactions waiting to be mined): the client may retry later.
 */
export class RelayerUnavailableError extends RelayError {
  override name = "RelayerUnavailableError";
  override readonly retryable = true;

  constructor(shortMessage: string, parameters: GramNodeErrorParameters & { retryAfterSeconds?: number } = {}) {
    super("RELAYER_UNAVAILABLE", shortMessage, parameters);
  }
}
