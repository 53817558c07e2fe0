// gram-node behind an RPC endpoint that goes wrong as a whole (the fault proxy, scripts/lib/fault-proxy.ts,
// switched at run time): it stops answering for a while, it refuses the API key with a JSON-RPC body, it
// starts serving another chain. The node must say so: /healthz 503 with the reason and /v1/status with
// the stale head and the last RPC error, then 200 again once the endpoint answers; or stop with exit 2
// and a message naming what happened. And a restarted node serves nothing before it has checked its
// stored cursor against the chain.
import { join } from "node:path";
import type { Address } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { statusResponseSchema } from "../../../protocol/api.ts";
import { killAll, spawnGramNode } from "../../../scripts/lib/spawn-gram-node.ts";
import { type FaultProxy, startFaultProxy } from "../../../scripts/lib/start-fault-proxy.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { waitIndexed } from "../../../scripts/lib/wait-indexed.ts";
import type { TestChain } from "../../kit/chain.ts";
import { getJson } from "../../kit/http.ts";
import { type nodeFolders, startChainWithFolders } from "../../kit/node-process.ts";
import { randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
let folders: Awaited<ReturnType<typeof nodeFolders>>;
let close: (() => Promise<void>) | undefined;
const proxies: FaultProxy[] = [];
beforeAll(async () => {
  ({ chain, folders, close } = await startChainWithFolders());
});
afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await close?.();
});
afterEach(killAll);

/** A fault proxy in front of the chain that behaves until told otherwise. */
async function proxy() {
  const started = await startFaultProxy({ upstream: chain.url });
  proxies.push(started);
  return started;
}

// A provider's URL carries its API key in the path: it must never show in what the node serves.
const KEY_PATH = "/v3/not-a-real-api-key-5ac1d";

const args = (rpc: string, dataDir: string, ...more: string[]) => [
  ...["--rpc", rpc, "--data-dir", dataDir, "--deployments", folders.deployments, "--port", "0"],
  ...["--finality", "5", "--poll-interval-ms", "10", ...more],
];

describe("gram-node behind an RPC endpoint that goes wrong", () => {
  it("while the RPC hangs, /healthz answers 503 saying why and /v1/status shows the stall; both recover once it answers", async () => {
    const rpc = await proxy();
    const node = spawnGramNode(args(`${rpc.url}${KEY_PATH}`, join(folders.root, "stall")));
    const url = await node.ready;
    await waitIndexed(chain.client, url);
    expect((await getJson(`${url}/healthz`)).status).toBe(200);

    await rpc.control({ stall: true });
    // The chain moves on; the node cannot see it.
    await randomTransfers(chain, 61, 3, 2);
    await waitFor(async () => (await getJson(`${url}/healthz`)).status === 503, 40_000, "/healthz to answer 503");
    const health = await getJson(`${url}/healthz`);
    expect(health.body).toEqual({ error: { code: "UNAVAILABLE", message: expect.stringMatching(/^stalled: /) } });
    const { body: stalled } = await getJson(`${url}/v1/status`);
    expect(statusResponseSchema.parse(stalled)).toEqual(stalled);
    expect(stalled).toMatchObject({ stalled: true, syncing: true, phase: "realtime" });
    expect(stalled.headAge).toBeGreaterThanOrEqual(10);
    expect(stalled.lastRpcError).toEqual({
      message: expect.stringMatching(/timed out/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(JSON.stringify([health.body, stalled])).not.toContain(KEY_PATH.slice(4));
    expect((await getJson(`${url}/metrics`)).body).toMatch(/^gram_stalled 1$/m);

    await rpc.control({ stall: false });
    await waitFor(async () => (await getJson(`${url}/healthz`)).status === 200, 30_000, "/healthz to answer 200");
    await waitIndexed(chain.client, url);
    const { body: recovered } = await getJson(`${url}/v1/status`);
    expect(recovered).toMatchObject({ stalled: false, syncing: false, lag: 0 });
    expect(recovered.headAge).toBeLessThan(10);
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  });

  it("an RPC that starts refusing the API key (HTTP 401, JSON-RPC body) stops the node: exit 2, naming the status", async () => {
    const rpc = await proxy();
    const node = spawnGramNode(args(rpc.url, join(folders.root, "key-401")));
    await waitIndexed(chain.client, await node.ready);
    await rpc.control({ reject: { status: 401, code: -32001, message: "invalid API key" } });
    await randomTransfers(chain, 62, 1, 1);
    expect(await node.exited).toBe(2);
    const fatal = node.records().find((record) => record.level === 60);
    expect(fatal).toMatchObject({ error: "RpcFatalError" });
    expect(fatal.err.message).toContain("the RPC endpoint answered HTTP 401");
    expect(fatal.err.message).toContain("invalid API key");
  });

  it("an RPC that refuses the API key from the start (HTTP 403, JSON-RPC body): exit 1, naming the status", async () => {
    const rpc = await proxy();
    await rpc.control({ reject: { status: 403, code: -32002, message: "project ID does not have access" } });
    const node = spawnGramNode(args(rpc.url, join(folders.root, "key-403")));
    expect(await node.exited).toBe(1);
    expect(node.output()).toContain(
      `gram-node: --rpc: got '${rpc.url}', expected a reachable JSON-RPC endpoint (the RPC endpoint answered HTTP 403: project ID does not have access)`,
    );
  });

  it("an RPC that now serves another chain (chain id 31339) stops the node: exit 2, saying so", async () => {
    const rpc = await proxy();
    const node = spawnGramNode(args(rpc.url, join(folders.root, "switched")));
    await waitIndexed(chain.client, await node.ready);
    // A fork with its own chain id: the same blocks so far, then its own.
    await rpc.control({ chainId: 31339 });
    await randomTransfers(chain, 63, 2, 2);
    expect(await node.exited).toBe(2);
    const fatal = node.records().find((record) => record.level === 60);
    expect(fatal).toMatchObject({ error: "ChainMismatchError" });
    expect(fatal.err.message).toContain("the RPC endpoint now serves chain 31339, not 31337");
  });

  it("a restarted node answers 503 until it has checked its stored cursor; a reorg past --finality then stops it, naming --finality", async () => {
    const [alice] = chain.holders as [Address];
    const dataDir = join(folders.root, "refused-branch");
    const fork = await chain.snapshot();
    // A branch of 8 blocks, indexed, then replaced by one of 9 while the node is down: deeper than
    // --finality 5, so the restarted node must refuse its stored branch.
    await randomTransfers(chain, 64, 8, 3);
    const first = spawnGramNode(args(chain.url, dataDir));
    const firstUrl = await first.ready;
    await waitIndexed(chain.client, firstUrl);
    const onRefusedBranch = (await getJson(`${firstUrl}/v1/accounts/${alice}`)).body.balances[0].balance;
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    await chain.revert(fork);
    await randomTransfers(chain, 65, 9, 3);

    // The restart cannot read blocks yet: its stored cursor stays unchecked.
    const rpc = await proxy();
    await rpc.control({ stall: ["eth_getBlockByNumber", "eth_getBlockByHash"] });
    const second = spawnGramNode(args(rpc.url, dataDir));
    const url = await second.ready;
    await waitFor(async () => (await rpc.stats()).held > 0, 10_000, "the node to ask for a block");
    const account = await getJson(`${url}/v1/accounts/${alice}`);
    expect({ status: account.status, body: account.body }).toEqual({
      status: 503,
      body: { error: { code: "UNAVAILABLE", message: expect.stringContaining("checking its stored cursor") } },
    });
    expect(JSON.stringify(account.body)).not.toContain(onRefusedBranch);
    expect((await getJson(`${url}/healthz`)).status).toBe(503);
    expect((await getJson(`${url}/v1/status`)).body).toMatchObject({ phase: "idle", syncing: true });

    await rpc.control({ stall: false });
    expect(await second.exited).toBe(2);
    const fatal = second.records().find((record) => record.level === 60);
    expect(fatal).toMatchObject({ error: "ReorgTooDeepError" });
    expect(fatal.err.message).toContain("Hint: raise --finality");
  });
});
