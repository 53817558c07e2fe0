// `gram-node`: the node as a process. Builds the config (flags, then environment), starts every part
// (`startNode`), and stops them in order on SIGINT or SIGTERM. Exit codes: 0 after a clean stop, 1 for
// a configuration or start-up problem (the message names the flag), 2 when the indexer stops on a
// fatal error (a reorg deeper than --finality, a data folder of another chain, an RPC endpoint that now
// serves another chain or refuses the API key), after closing cleanly.
// A second signal while stopping exits at once (128 + the signal's number); LevelDB's log keeps every
// batch it had written whole, so even that loses nothing the cursor counts.
import { createRequire } from "node:module";
import type { Logger } from "pino";
import { ConfigError, ConfigExit, loadConfig, type NodeConfig } from "./cli/config.ts";
import { createLogger, createStatusLine } from "./cli/log.ts";
import { createShutdown } from "./cli/shutdown.ts";
import { watchParent } from "./cli/watch-parent.ts";
import { GramNodeError } from "./errors.ts";

const EXIT = { ok: 0, config: 1, fatal: 2 } as const;
const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
/** A shutdown that takes longer than this (a hung request, a stuck RPC call) is forced. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

let config: NodeConfig;
try {
  config = await loadConfig({ argv: process.argv.slice(2), env: process.env, version });
} catch (error) {
  if (error instanceof ConfigExit) process.exit(EXIT.ok);
  process.stderr.write(`gram-node: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(EXIT.config);
}

const status = process.stdout.isTTY ? createStatusLine(process.stdout) : undefined;
const log: Logger = createLogger({ level: config.logLevel, status });
const shutdown = createShutdown({
  onError: (part, error) => log.error({ err: error, part }, "a part failed to close"),
});

/** Closes every part, then exits with `code`; forced after a timeout. */
async function stop(code: number): Promise<never> {
  const timer = setTimeout(() => {
    log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; exiting without waiting");
    process.exit(code === EXIT.ok ? 1 : code);
  }, SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  await shutdown.kill();
  log.info({ code }, "stopped");
  process.exit(code);
}

for (const signal of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
  process.on(signal, () => {
    if (shutdown.isKilled) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(128 + SIGNALS[signal]);
    }
    log.info({ signal }, "stopping: no new requests, finishing the batch in flight");
    void stop(EXIT.ok);
  });
}

// Started by a supervisor (`npm start`) that set GRAM_PARENT_PID: when it is gone, the node stops instead
// of following a chain that may be gone with it.
watchParent(process.env, (parentPid) => {
  if (shutdown.isKilled) return;
  log.info({ parentPid }, "the process that started the node is gone: stopping");
  void stop(EXIT.ok);
});

process.on("uncaughtException", (error) => {
  log.fatal({ err: error }, "uncaught exception");
  void stop(EXIT.fatal);
});
process.on("unhandledRejection", (error) => {
  log.fatal({ err: error }, "unhandled rejection");
  void stop(EXIT.fatal);
});

try {
  // Loaded once the config is good: a typo is reported without loading viem and fastify first.
  const { startNode } = await import("./cli/start-node.ts");
  const node = await startNode({ config, log, shutdown, status });
  node.indexed.catch((error: unknown) => {
    const name = error instanceof Error ? error.name : "Error";
    // What happened, in the record's message: "…(ChainMismatchError: the RPC endpoint now serves chain 31339, not 31337)".
    const what = error instanceof GramNodeError ? `${name}: ${error.shortMessage}` : name;
    log.fatal({ err: error, error: name }, `the indexer stopped on a fatal error (${what}); closing`);
    void stop(EXIT.fatal);
  });
} catch (error) {
  if (shutdown.isKilled) await stop(EXIT.ok);
  if (error instanceof ConfigError) {
    status?.clear();
    process.stderr.write(`gram-node: ${error.message}\n`);
    await stop(EXIT.config);
  }
  log.fatal({ err: error }, error instanceof GramNodeError ? error.shortMessage : "the node failed to start");
  await stop(EXIT.fatal);
}
