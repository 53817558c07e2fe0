import type { FastifyInstance } from "fastify";
import type { IndexerStatus } from "../indexer/create-indexer.ts";
import { ApiError } from "./errors.ts";

/** Why indexed data is not served yet: the 503's message, and /healthz's. */
export const CHECKING_CURSOR = "the node is checking its stored cursor against the chain; try again shortly";

/**
 * Answers 503 to the routes registered in `scope` until the indexer has checked its stored cursor
 * against the chain (its phase leaves `idle`): a restarted node whose stored branch the chain has
 * replaced must not serve that branch in the moments before it rolls it back, or refuses it. Once
 * open, the gate stays open (the phase never returns to `idle`), and costs a boolean.
 */
export function registerCheckedGate(scope: FastifyInstance, indexer: { status(): IndexerStatus }) {
  let open = false;
  scope.addHook("onRequest", (_request, _reply, done) => {
    if (!open) open = indexer.status().phase !== "idle";
    done(open ? undefined : new ApiError("UNAVAILABLE", CHECKING_CURSOR));
  });
}
