// Waits until a node has indexed the head of the chain: the block number and hash its /v1/status reports
// are the ones the chain reports as latest. Tests and benchmarks wait on it before they read from a node.
import type { PublicClient } from "viem";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { getStatus } from "../../wallet/node/getStatus.ts";
import { http } from "../../wallet/node/http.ts";
import { waitFor } from "./wait-for.ts";

/**
 * Resolves once the node at `url` has indexed the head `client` sees (number and hash); an unreachable
 * node or a non-200 answer counts as not yet.
 *
 * @example
 * await waitIndexed(publicClient, "http://127.0.0.1:8545", 30_000);
 */
export async function waitIndexed(client: Pick<PublicClient, "getBlock">, url: string, timeoutMs = 20_000) {
  const node = createNodeClient({ transport: http(url) });
  await waitFor(
    async () => {
      const head = await client.getBlock({ blockTag: "latest" });
      const status = await getStatus(node).catch(() => undefined);
      return status?.indexedBlock === Number(head.number) && status.indexedHash === head.hash;
    },
    timeoutMs,
    "the node to index the head",
  );
}
