// The whole chat stack for `gram chat` tests: Hardhat's chain on loopback with the contracts deployed and
// users funded (test/wallet/cli/harness.ts) and a real `gram-node` child process (API, indexer, relayer and
// the chat hub on /v1/chat). `serveHub` below runs a hub in this process instead, for the library tests
// that cut its connections through a proxy.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createPublicClient, http } from "viem";
import { createApiServer } from "../../../node/api/create-api-server.ts";
import { createChatHub } from "../../../node/hub/create-chat-hub.ts";
import { createIndexer } from "../../../node/indexer/create-indexer.ts";
import { createIndexerEvents } from "../../../node/internal/indexer-events.ts";
import { openStore } from "../../../node/store/open-store.ts";
import { type NodeProcess, waitIndexed } from "../../node/binary/node-process.ts";
import { type CliChain, type Run, runs, startCliChain, startRelayingNode } from "../cli/harness.ts";

const ENTRY = join(resolve(import.meta.dirname, "../../.."), "wallet/cli/main.ts");

export interface ChatStack {
  chain: CliChain;
  node: NodeProcess;
  nodeUrl: string;
  /** The hub's base URL (http://127.0.0.1:port); its WebSocket is /v1/chat. */
  hubUrl: string;
  /** Where a chat client connects: the node (it serves /v1/chat). */
  chatUrl: string;
  /** The environment every `gram chat` run gets: where the node and the hub are. */
  env: Record<string, string>;
  /** `gram args…` as `home`, with the stack's environment. */
  gram(args: string[], options?: { home?: string; env?: Record<string, string> }): Promise<Run>;
  /** `gram args…` with `input` piped to its stdin (the interactive mode). */
  gramWithInput(args: string[], input: string, options: { home: string; env?: Record<string, string> }): Promise<Run>;
  /** Waits until the node has indexed the chain's head. */
  synced(): Promise<void>;
  close(): Promise<void>;
}

/** `{ withNode: false }` skips the node and the hub: for a test that brings its own (hostile) hub. */
export async function startChatStack({ withNode = true }: { withNode?: boolean } = {}): Promise<ChatStack> {
  const chain = await startCliChain();
  const cleanups: (() => Promise<void>)[] = [];
  let node = undefined as unknown as NodeProcess;
  let nodeUrl = "";
  let hubUrl = "";
  if (withNode) {
    const served = await startRelayingNode(chain);
    node = served.node;
    nodeUrl = served.url;
    cleanups.push(served.stop);
    hubUrl = nodeUrl;
  }

  const env: Record<string, string> = withNode ? { GRAM_NODE: nodeUrl } : {};

  const stack: ChatStack = {
    chain,
    node,
    nodeUrl,
    hubUrl,
    chatUrl: nodeUrl,
    env,
    gram: (args, options = {}) => chain.gram(args, { home: options.home, env: { ...env, ...options.env } }),
    gramWithInput: (args, input, options) =>
      new Promise<Run>((done) => {
        const child = spawn(process.execPath, [ENTRY, ...args], {
          cwd: chain.temp,
          env: {
            PATH: process.env.PATH,
            GRAM_RPC: chain.url,
            GRAM_DEPLOYMENTS_DIR: chain.deployments,
            GRAM_SCRYPT_N: "1024",
            GRAM_HOME: options.home,
            ...env,
            ...options.env,
          },
          stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          const run = { args, code: code ?? -1, stdout, stderr };
          runs.push(run);
          done(run);
        });
        child.stdin.end(input);
      }),
    async synced() {
      await waitIndexed(chain.publicClient, nodeUrl);
    },
    async close() {
      for (const cleanup of cleanups) await cleanup();
      await chain.close();
    },
  };
  return stack;
}

/**
 * The hub as gram-node will serve it: its own LevelDB, the node's API server, status pushes from an
 * indexer following the chain. Returns its base URL. `signInHost` is the host:port sign-ins must name, when
 * clients reach the hub through a proxy.
 */
export async function serveHub(chain: CliChain, options: { signInHost?: () => string } = {}) {
  const temp = await mkdtemp(join(tmpdir(), "gram-chat-hub-"));
  const deployment = JSON.parse(await readFile(join(chain.deployments, `${chain.chainId}.json`), "utf8")) as {
    deployBlock: number;
  };
  const store = await openStore({ path: join(temp, "store") });
  const events = createIndexerEvents();
  const indexer = createIndexer({
    client: createPublicClient({ transport: http(chain.url) }),
    store,
    contracts: { gramToken: chain.token, escrow: chain.escrow },
    fromBlock: deployment.deployBlock,
    finality: 5,
    pollingIntervalMs: 20,
    hooks: events.hooks,
  });
  let port = 0;
  const hub = await createChatHub({
    dataDir: join(temp, "hub"),
    chainId: chain.chainId,
    escrow: chain.escrow,
    events,
    store,
    signIn: () => {
      const host = options.signInHost?.() ?? `127.0.0.1:${port}`;
      return { domain: host, uri: `ws://${host}/v1/chat` };
    },
  });
  const app = await createApiServer({
    store,
    indexer,
    events,
    chainId: chain.chainId,
    contracts: { tokens: [], escrow: chain.escrow },
    confirmations: 1,
    plugins: [hub.plugin],
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as AddressInfo).port;
  const abort = new AbortController();
  const indexed = indexer.run(abort.signal).catch(() => {});
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    indexer,
    async stop() {
      abort.abort();
      await indexed;
      await app.close();
      await hub.close();
      await store.close();
      await rm(temp, { recursive: true, force: true });
    },
  };
}
