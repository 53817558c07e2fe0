import { type RelayResponse, relayResponseSchema } from "../../../protocol/relay.ts";
import type { Route } from "../../../protocol/routes.ts";
import { NodeRequestError, NodeUnavailableError, RelayError } from "../../errors.ts";
import type { NodeClient } from "../createNodeClient.ts";

/**
 * POSTs a signed request to the node's relayer. What the node refuses with its own code (a 4xx, or the
 * relayer's 503) is the relayer's refusal: a RelayError whose code is `RELAY_` and the relayer's.
 */
export async function postRelay(
  client: NodeClient,
  path: Route,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<RelayResponse> {
  try {
    return await client.request({ method: "POST", path, body, schema: relayResponseSchema, signal });
  } catch (error) {
    throw relayRefusal(error);
  }
}

function relayRefusal(error: unknown): unknown {
  if (!(error instanceof NodeRequestError || error instanceof NodeUnavailableError)) return error;
  const { status, nodeCode, nodeMessage } = error;
  if (status === undefined || nodeCode === undefined || nodeMessage === undefined) return error;
  return new RelayError(nodeCode, status, `the relayer refused: ${nodeMessage}`, {
    details: `${nodeCode} (HTTP ${status})`,
    ...(status === 429 ? { hint: "wait a little and send again" } : {}),
    // A node started without --relayer-key-file serves no relay routes.
    ...(status === 404
      ? { hint: "this node runs no relayer: start gram-node with --relayer-key-file, or send without --gasless" }
      : {}),
    cause: error,
  });
}
