// The node's status for the status bar: `getStatus` through the wallet's node client every few seconds,
// against the node that served the app (its own origin). A failed poll marks the connection lost until
// the next one answers.
import { signal } from "@preact/signals";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { type GetStatusReturnType, getStatus } from "../../wallet/node/getStatus.ts";
import { http } from "../../wallet/node/http.ts";

export type NodeState =
  | { state: "connecting" }
  | { state: "online"; status: GetStatusReturnType }
  | { state: "lost"; reason: string; last: GetStatusReturnType | undefined };

export const nodeState = signal<NodeState>({ state: "connecting" });

const POLL_MS = 4_000;

/** Starts polling the node; returns the function that stops it. */
export function watchNode(url = location.origin): () => void {
  const node = createNodeClient({ transport: http(url, { timeout: 3_000 }) });
  let last: GetStatusReturnType | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const poll = async () => {
    try {
      last = await getStatus(node);
      nodeState.value = { state: "online", status: last };
    } catch (error) {
      nodeState.value = { state: "lost", reason: (error as Error).message, last };
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
