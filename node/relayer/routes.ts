import type { FastifyError, FastifyPluginAsync } from "fastify";
import type { z } from "zod";
import {
  type RelayErrorCode,
  type RelayResponse,
  relayPayRequestSchema,
  relayTransferRequestSchema,
} from "../../protocol/relay.ts";
import { ROUTES } from "../../protocol/routes.ts";
import { createRateLimiter } from "../internal/rate-limiter.ts";
import type { Relayer } from "./create-relayer.ts";
import { RelayError } from "./errors.ts";

/** A relay request is a few hundred bytes; a contract wallet's signature may take up to 4 KiB of hex. */
export const RELAY_BODY_LIMIT = 16 * 1_024;

export interface RelayRoutesOptions {
  relayer: Relayer;
}

/** Fastify's own 4xx errors on a body, told in the relayer's words. */
const BODY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "the body is not valid JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "the body is empty: expected a JSON object",
  FST_ERR_CTP_BODY_TOO_LARGE: `the body is larger than ${RELAY_BODY_LIMIT} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "the body must be application/json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "the body's length does not match its Content-Length",
};

const body = (code: RelayErrorCode, message: string) => ({ error: { code, message } });

/**
 * `POST /v1/relay/transfer`, `POST /v1/relay/pay` and `GET /v1/relay/status` (full paths: register
 * without a prefix). Each client IP may make `relayer.limits.perIpPerMinute` requests a minute, counted
 * before any other work. Bodies are parsed with the protocol's schemas; errors are
 * `{ error: { code, message } }` with the status the code implies (400, 429 or 503 with `Retry-After`),
 * or 413/415 for a body too large or not JSON.
 *
 * @example
 * await app.register(relayRoutes, { relayer });
 */
export const relayRoutes: FastifyPluginAsync<RelayRoutesOptions> = async (app, { relayer }) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RelayError) {
      if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
      if (error.statusCode >= 500)
        request.log.warn({ code: error.code, reason: error.shortMessage }, "a relay was refused");
      return reply.status(error.statusCode).send(body(error.code, error.shortMessage));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body("BAD_REQUEST", BODY_ERRORS[error.code] ?? error.message));
    }
    request.log.error({ err: error }, "a relay request failed");
    return reply.status(503).send(body("RELAYER_UNAVAILABLE", "the relayer failed; try again later"));
  });

  // Behind a proxy, `request.ip` is the proxy's unless the server trusts it (fastify's `trustProxy`).
  const perIp = createRateLimiter({ perMinute: relayer.limits.perIpPerMinute });
  app.addHook("onRequest", async (request) => {
    const wait = perIp.take(request.ip);
    if (wait > 0) {
      throw new RelayError(
        "RATE_LIMITED",
        `more than ${relayer.limits.perIpPerMinute} relay requests a minute from ${request.ip}: try again in ${wait} s`,
        { retryAfterSeconds: wait },
      );
    }
  });

  const route = <Schema extends z.ZodType>(
    path: string,
    schema: Schema,
    action: (request: z.output<Schema>) => Promise<RelayResponse>,
  ) =>
    app.post(path, { bodyLimit: RELAY_BODY_LIMIT }, async (request): Promise<RelayResponse> => {
      const parsed = schema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined || issue.path.length === 0 ? "body" : issue.path.join(".");
        throw new RelayError("BAD_REQUEST", `${where}: ${issue?.message ?? "invalid"}`);
      }
      return action(parsed.data);
    });

  route(ROUTES.relayTransfer, relayTransferRequestSchema, (request) => relayer.relayTransfer(request));
  route(ROUTES.relayPay, relayPayRequestSchema, (request) => relayer.relayPay(request));
  // Amounts of wei and gas as decimal strings, as everywhere in the API.
  app.get(ROUTES.relayStatus, async () =>
    JSON.parse(JSON.stringify(relayer.status(), (_key, value) => (typeof value === "bigint" ? String(value) : value))),
  );
};

/**
 * `relayRoutes` bound to `relayer`, for a server that takes plugins without options; registered inside
 * so that the relayer's error handler stays its own.
 *
 * @example
 * const app = await createApiServer({ ..., plugins: [relayPlugin(relayer)] });
 */
export const relayPlugin =
  (relayer: Relayer): FastifyPluginAsync =>
  async (app) => {
    await app.register(relayRoutes, { relayer });
  };
