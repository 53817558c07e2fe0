// The node this app talks to (the origin that served it): its URL, whether it is reachable, its chain and
// indexed block (from web/src/node-status.ts), and whether it relays gasless payments.
import { chain } from "../chain.ts";
import { nodeState } from "../node-status.ts";

export function NodeSection() {
  const node = nodeState.value;
  const loaded = chain.value;
  const status =
    node.state === "online"
      ? `Online · chain ${node.status.chainId} · indexed block ${node.status.indexedBlock ?? "—"}${node.status.syncing ? " · syncing" : ""}`
      : node.state === "lost"
        ? `Connection lost: ${node.reason}`
        : "Connecting…";
  return (
    <section class="card" aria-labelledby="node-title" data-testid="settings-node">
      <h2 id="node-title">Node</h2>
      <dl class="fields">
        <div class="field">
          <dt>URL</dt>
          <dd class="mono">{location.origin}</dd>
        </div>
        <div class="field">
          <dt>Status</dt>
          <dd data-state={node.state}>{status}</dd>
        </div>
        {loaded.state === "ready" && (
          <>
            <div class="field">
              <dt>RPC</dt>
              <dd class="mono">{loaded.chain.config.rpc}</dd>
            </div>
            <div class="field">
              <dt>Gasless payments</dt>
              <dd>{loaded.chain.config.relayer ? "relayed by this node" : "not offered by this node"}</dd>
            </div>
          </>
        )}
      </dl>
      <p class="muted">The app always talks to the node that served it; open another node's address to use it.</p>
    </section>
  );
}
