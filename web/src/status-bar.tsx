// The node's status, always on screen: its chain and indexed block, or that the connection is lost.
import { nodeState } from "./node-status.ts";

export function StatusBar() {
  const node = nodeState.value;
  let text: string;
  let tone: "ok" | "warn" | "lost";
  if (node.state === "connecting") {
    text = "Connecting to the node…";
    tone = "warn";
  } else if (node.state === "lost") {
    const last = node.last?.indexedBlock;
    text = `Connection to the node lost${last === undefined || last === null ? "" : ` (last indexed block ${last})`}`;
    tone = "lost";
  } else {
    const { chainId, indexedBlock, syncing } = node.status;
    text = `Chain ${chainId} · block ${indexedBlock ?? "—"}${syncing ? " · syncing" : ""}`;
    tone = syncing ? "warn" : "ok";
  }
  return (
    <output class={`status status-${tone}`} data-testid="node-status" data-state={node.state}>
      <span class="status-dot" aria-hidden="true" />
      {text}
    </output>
  );
}
