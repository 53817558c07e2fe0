import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import { type Address, createPublicClient, createWalletClient, http, type Transport, webSocket } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Deployment, DeploymentError, deploymentAbiHash, loadDeployment } from "../../protocol/deployments.ts";
import { createApiServer } from "../api/create-api-server.ts";
import { readTokenInfo, type TokenInfo } from "../api/tokens.ts";
import { readWebApp, webAppPlugin } from "../api/web-app.ts";
import { CHAT_PATH, createChatHub } from "../hub/index.ts";
import { createIndexer, type Indexer } from "../indexer/create-indexer.ts";
import { fetchChainId } from "../indexer/rpc.ts";
import { createIndexerEvents } from "../internal/indexer-events.ts";
import type { Log } from "../internal/logger.ts";
import { withRetry } from "../internal/retry.ts";
import { createRelayer, relayPlugin } from "../relayer/index.ts";
import { registerRelayerMetrics } from "../relayer/metrics.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { readCursor } from "../store/read-cursor.ts";
import { ConfigError, checkDemoAccounts, fail, type NodeConfig } from "./config.ts";
import type { StatusLine } from "./log.ts";
import { showProgress } from "./progress.ts";
import type { Shutdown } from "./shutdown.ts";

export interface StartNodeParameters {
  config: NodeConfig;
  log: Logger;
  shutdown: Shutdown;
  /** A terminal's status line: the backfill's progress is drawn there. */
  status?: StatusLine | undefined;
}

export interface RunningNode {
  url: string;
  chainId: number;
  deployment: Deployment;
  indexer: Indexer;
  /** Settles when the indexer stops: resolves after an abort, rejects on a fatal error. */
  indexed: Promise<void>;
}

/**
 * Starts every part of the node in order and registers each with `shutdown` as it opens: the store,
 * the indexer's event fan-out and the indexer, the relayer (with a key), the API server with the relay
 * routes; then listens and runs the indexer until `shutdown.signal` aborts. Problems a user can fix
 * before starting (an unreachable RPC, no deployment for its chain, a locked data folder, a port in
 * use) are `ConfigError`s; the indexer's fatal errors reject `indexed`.
 *
 * @example
 * const node = await startNode({ config, log, shutdown });
 * node.indexed.catch((error) => fatal(error));
 */
export async function startNode({ config, log, shutdown, status }: StartNodeParameters): Promise<RunningNode> {
  const startedAt = performance.now();
  const overWebSocket = /^wss?:/i.test(config.rpc);
  // The indexer's requests: a short timeout and no retries of the transport's own. The indexer retries
  // with backoff, and so notices a hanging or failing endpoint within seconds (and says so on
  // /v1/status); viem's retries would hide a stall for a minute and quadruple the requests behind every
  // provider's refusal of a log range.
  const options = { timeout: config.rpcTimeoutMs, retryCount: 0 };
  const client = createPublicClient({
    transport: overWebSocket ? webSocket(config.rpc, options) : http(config.rpc, options),
  });
  // Start-up reads and the relayer keep viem's own retries.
  const transport: Transport = overWebSocket ? webSocket(config.rpc) : http(config.rpc);
  const chainClient = createPublicClient({ transport });
  // The store opens while the chain is asked about itself: a restart is that much sooner serving.
  const opening = openDataDir(config.dataDir);
  opening.catch(() => {});
  shutdown.add("store", async () => (await opening.catch(() => undefined))?.close());

  const chainId = await withRetry(() => fetchChainId(client), { attempts: 3, signal: shutdown.signal }).catch(
    (error: Error & { shortMessage?: string; details?: string }) => {
      const why = [error.shortMessage ?? error.message, error.details].filter(Boolean).join(": ");
      throw fail("--rpc", config.rpc, `a reachable JSON-RPC endpoint (${why})`);
    },
  );
  checkDemoAccounts(config, chainId);
  const deployment = await loadDeployment(chainId, config.deploymentsDir).catch((error: unknown) => {
    if (error instanceof DeploymentError) throw new ConfigError(`--deployments: ${error.shortMessage}`);
    throw error;
  });
  if (deployment.abiHash !== deploymentAbiHash) {
    log.warn(
      { recorded: deployment.abiHash, built: deploymentAbiHash },
      "the deployment record was made with other contract ABIs than this node's",
    );
  }
  const gramToken = deployment.contracts.GramToken.address;
  const escrow = deployment.contracts.MerchantEscrow.address;
  const tokens = await readTokens(chainClient, chainId, [
    gramToken,
    ...config.extraTokens.filter((t) => t !== gramToken),
  ]);

  const store = await opening;
  const resumeFrom = await readCursor(store);

  const events = createIndexerEvents();
  const indexer = createIndexer({
    client,
    store,
    contracts: { gramToken, escrow, extraTokens: tokens.slice(1).map((token) => token.address) },
    fromBlock: deployment.deployBlock,
    finality: config.finality,
    pollingIntervalMs: config.pollIntervalMs,
    // Checked at start and every few seconds: an endpoint that now serves another chain stops the node.
    chainId,
    // Over a WebSocket RPC, new heads are pushed (eth_subscribe); polling stays on as a safety net, and
    // is all there is when the endpoint refuses the subscription.
    subscribeHeads: overWebSocket
      ? (onHead) =>
          // On a WebSocket transport viem subscribes (eth_subscribe "newHeads") rather than polls.
          client.watchBlockNumber({
            onBlockNumber: onHead,
            onError: (error) => log.warn({ err: error }, "new-heads subscription failed; polling"),
          })
      : undefined,
    ranges: { initial: Math.min(20, config.maxLogRange), max: config.maxLogRange },
    log: indexerLog(log.child({ part: "indexer" }), status !== undefined),
    hooks: events.hooks,
  });
  let indexed: Promise<void> | undefined;
  shutdown.add("indexer", () => indexed?.catch(() => {}));

  const plugins = [];
  const registry = new Registry();
  let relayerAddress: Address | null = null;
  if (config.relayer !== undefined) {
    const account = privateKeyToAccount(config.relayer.key);
    const relayer = await createRelayer({
      publicClient: chainClient,
      walletClient: createWalletClient({ account, transport }),
      chainId,
      tokens: tokens.map((token) => token.address),
      escrow,
      db: store.db,
      limits: config.relayer.limits,
      log: log.child({ part: "relayer" }),
    });
    shutdown.add("relayer", () => relayer.close());
    plugins.push(relayPlugin(relayer));
    registerRelayerMetrics(relayer, registry);
    relayerAddress = relayer.address;
    void chainClient.getBalance({ address: relayer.address }).then(
      (balance) => balance === 0n && log.warn({ relayer: relayer.address }, "the relayer's account has no gas money"),
      () => {},
    );
  }

  // The chat hub keeps its own LevelDB beside the index: chat history cannot be rebuilt from the chain.
  let publicUrl: URL | undefined = config.publicUrl === undefined ? undefined : new URL(config.publicUrl);
  const hub = await createChatHub({
    dataDir: join(config.dataDir, "hub"),
    chainId,
    escrow,
    events,
    store,
    log: log.child({ part: "hub" }),
    limits: config.hub,
    // Read at each challenge: the port is known only once the server listens.
    signIn: () => {
      const base = publicUrl as URL;
      return { domain: base.host, uri: `${base.protocol === "https:" ? "wss" : "ws"}://${base.host}${CHAT_PATH}` };
    },
  }).catch((error: unknown) => {
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code;
    if (code === "LEVEL_LOCKED") {
      throw fail("--data-dir", config.dataDir, "a folder no other process has open (its chat hub folder is locked)");
    }
    throw error;
  });
  shutdown.add("hub", () => hub.close());
  plugins.push(hub.plugin);

  // The web app at `/`, when it is built; the API is served either way.
  const webFiles = await readWebApp(config.webDir);
  if (webFiles === undefined) {
    log.warn(
      { webDir: config.webDir },
      "no web app: the folder has no index.html (npm run build:web builds it, or pass --web-dir); serving the API only",
    );
  } else {
    const configured = config.publicUrl === undefined ? undefined : new URL(config.publicUrl);
    plugins.push(
      webAppPlugin({
        files: webFiles,
        config: {
          chainId,
          rpc: config.webRpc,
          contracts: { token: gramToken, escrow },
          deployBlock: Number(deployment.deployBlock),
          relayer: config.relayer !== undefined,
          ...(config.webDemoAccounts.length > 0 && { demoAccounts: config.webDemoAccounts }),
        },
        publicUrl: () => configured,
      }),
    );
  }

  const app = await createApiServer({
    store,
    indexer,
    events,
    chainId,
    contracts: { tokens, escrow },
    fromBlock: deployment.deployBlock,
    confirmations: config.confirmations,
    log: log.child({ part: "api" }),
    plugins,
    registry,
  });
  // Registered last, so closed first: no request is taken once the shutdown starts.
  shutdown.add("server", () => app.close());
  await app.listen({ host: config.host, port: config.port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE")
      throw fail("--port", config.port, `a free port (${config.host}:${config.port} is in use)`);
    if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
      throw fail("--host", config.host, "an address of this machine");
    }
    throw error;
  });
  const { address, port } = app.server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  publicUrl ??= new URL(url);

  const stopProgress =
    status === undefined ? undefined : showProgress({ indexer, events, fromBlock: deployment.deployBlock, status });
  const stopPhases = logPhases(indexer, log);
  indexed = indexer.run(shutdown.signal).finally(() => {
    stopProgress?.();
    stopPhases();
  });
  log.info(
    {
      url,
      chainId,
      gramToken,
      escrow,
      fromBlock: deployment.deployBlock,
      resumeFrom: resumeFrom?.number ?? null,
      dataDir: config.dataDir,
      relayer: relayerAddress,
      chat: `${publicUrl.protocol === "https:" ? "wss" : "ws"}://${publicUrl.host}${CHAT_PATH}`,
      web: webFiles === undefined ? null : `${publicUrl.origin}/`,
      startupMs: Math.round(performance.now() - startedAt),
      // Since the process started: what a restart costs before the API answers.
      sinceProcessStartMs: Math.round(performance.now()),
    },
    "serving",
  );
  return { url, chainId, deployment, indexer, indexed };
}

async function readTokens(
  client: Parameters<typeof readTokenInfo>[0],
  chainId: number,
  addresses: readonly Address[],
): Promise<TokenInfo[]> {
  return Promise.all(
    addresses.map(async (address, i) => {
      try {
        const [token] = await readTokenInfo(client, [address]);
        return token as TokenInfo;
      } catch (error) {
        const why = (error as { shortMessage?: string }).shortMessage ?? String(error);
        const expected = `an ERC-20 contract with symbol() and decimals() on chain ${chainId} (${why})`;
        if (i === 0) throw new ConfigError(`--deployments: GramToken at ${address}: expected ${expected}`);
        throw fail("--extra-token", address, expected);
      }
    }),
  );
}

async function openDataDir(path: string): Promise<Store> {
  try {
    await mkdir(path, { recursive: true });
    return await openStore({ path });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === "LEVEL_LOCKED") {
      throw fail(
        "--data-dir",
        path,
        "a folder no other process has open (it is locked: is another gram-node using it?)",
      );
    }
    const why = (error as Error).message.split("\n")[0];
    throw fail("--data-dir", path, `a folder the node can create and write (${why})`);
  }
}

/**
 * The indexer's log. On a terminal the progress line shows the backfill, so the per-range "backfill"
 * records drop to debug there; elsewhere they are the progress report.
 */
function indexerLog(log: Logger, quietBackfill: boolean): Log {
  return {
    debug: (object, message) => log.debug(object, message),
    info: (object, message) =>
      quietBackfill && message === "backfill" ? log.debug(object, message) : log.info(object, message),
    warn: (object, message) => log.warn(object, message),
    error: (object, message) => log.error(object, message),
  };
}

/** One record when the backfill starts and when the node has caught up with the head. */
function logPhases(indexer: Indexer, log: Logger): () => void {
  let last = indexer.status().phase;
  let backfillStarted = 0;
  const timer = setInterval(() => {
    const status = indexer.status();
    if (status.phase === last) return;
    if (status.phase === "backfill") {
      backfillStarted = performance.now();
      log.info({ from: status.cursor?.number ?? null, to: status.finalized ?? null }, "backfilling");
    } else if (status.phase === "realtime" && last !== "stopped") {
      const seconds = backfillStarted === 0 ? undefined : Math.round(performance.now() - backfillStarted) / 1000;
      log.info({ block: status.cursor?.number ?? null, head: status.head ?? null, seconds }, "following the head");
    }
    last = status.phase;
  }, 100);
  timer.unref();
  return () => clearInterval(timer);
}
