import type { RelayResponse } from "../../../protocol/relay.ts";
import { NodeUnavailableError, RelayError } from "../../errors.ts";

/** POSTs a signed request to the node's relayer and maps its `{ error: { code, message } }` to a RelayError. */
export async function postRelay(
  nodeUrl: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<RelayResponse> {
  const url = new URL(path, nodeUrl.endsWith("/") ? nodeUrl : `${nodeUrl}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (cause) {
    throw new NodeUnavailableError(`could not reach the node at ${url.origin}`, { cause, hint: "check --node" });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NodeUnavailableError(`the node answered ${response.status} with something that is not JSON`, {
      details: text.slice(0, 200),
    });
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
    const code = typeof error?.code === "string" && /^[A-Z_]{1,40}$/.test(error.code) ? error.code : "UNKNOWN";
    const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
    throw new RelayError(code, response.status, `the relayer refused: ${message}`, {
      details: `${code} (HTTP ${response.status})`,
      ...(response.status === 429 ? { hint: "wait a little and send again" } : {}),
      // A node started without --relayer-key-file serves no relay routes.
      ...(response.status === 404
        ? { hint: "this node runs no relayer: start gram-node with --relayer-key-file, or send without --gasless" }
        : {}),
    });
  }
  const result = json as Partial<RelayResponse>;
  if (typeof result.txHash !== "string" || typeof result.id !== "string") {
    throw new NodeUnavailableError("the relayer's answer has no txHash", { details: text.slice(0, 200) });
  }
  return { txHash: result.txHash, duplicate: result.duplicate === true, id: result.id };
}
