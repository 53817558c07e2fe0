// `npm run demo`: a whole Gram story played through the real stack (chain, node, chat hub, relayer) with
// the wallet's own actions and chat client: a chat payment, a gasless one, a request, an invoice paid with
// a tip, a partial capture with cashback, a void and a refund, a disputed order split by the arbiter, and
// the merchant's withdrawal with its fee to the treasury. It prints a transcript with the balances after
// each step, and checks each balance on the chain and in the node's API against what the story expects;
// any difference or error exits 1.
//
//   npm run demo                          # its own stack: scripts/start.ts on free ports, in a temporary folder
//   npm run demo -- --node URL --rpc URL --home DIR --deployments DIR    # a running `npm start` stack
//
// Only --node plays on a running stack: the story moves its balances, withdraws the merchant's whole
// escrow balance and collects the fees, so the `export GRAM_NODE=…` line `npm start` prints (and users
// paste into every terminal) must not choose it. Without --node the demo starts its own stack, whatever
// GRAM_* is set, and passes none of it on. With --node, the rest may come from the environment `npm start`
// prints (GRAM_RPC, GRAM_HOME, GRAM_DEPLOYMENTS_DIR; GRAM_PASSWORD, default the demo wallet's), and
// balances are checked as changes from those at the start, since the accounts may have been used before.
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { BaseError } from "../protocol/errors.ts";
import { deploymentsDir, NODE_URL_EXPECTED, nodeUrl, rpcUrl, settingError } from "../protocol/settings.ts";
import { BalanceMismatchError } from "./lib/demo-check.ts";
import { playStory } from "./lib/demo-play.ts";
import { type Endpoints, startEmbeddedStack, tail } from "./lib/demo-stack.ts";
import { DEMO_PASSWORD } from "./lib/demo-wallet.ts";

/** For each wait of the story (a message, a confirmation, a block mined or indexed); and for the stack to start. */
const WAIT_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 90_000;
const EXIT = { ok: 0, failed: 1, interrupted: 130 } as const;

const USAGE = `usage: npm run demo [-- --node <url> --rpc <url> [--home <dir>] [--deployments <dir>]]
  without flags: plays on its own stack (scripts/start.ts on free loopback ports, in a temporary folder),
    whatever GRAM_* is set
  --node: plays on a running \`npm start\` stack instead, moving its balances; only this flag chooses one
  with --node: --rpc, its chain (or GRAM_RPC); --home, its demo wallet (GRAM_HOME, default .demo/gram);
    --deployments, its records (GRAM_DEPLOYMENTS_DIR, default deployments)`;

class UsageError extends BaseError {
  override name = "UsageError";
  readonly code = "USAGE";
}

class InterruptedError extends BaseError {
  override name = "InterruptedError";
  readonly code = "INTERRUPTED";
}

export interface DemoOptions {
  help: boolean;
  /** Where to play: undefined for the demo's own stack, or a running one. */
  endpoints: Endpoints | undefined;
  password: string;
}

/**
 * Flags, then environment. A running stack is chosen by --node alone, never by GRAM_NODE; the environment
 * fills in the rest only then.
 */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        node: { type: "string" },
        rpc: { type: "string" },
        home: { type: "string" },
        deployments: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help === true) return { help: true, endpoints: undefined, password: DEMO_PASSWORD };
  const given = (flag: string, variable: string) => {
    const value = values[flag] ?? env[variable];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const node = values.node;
  if (typeof node !== "string") {
    const stray = ["rpc", "home", "deployments"].find((flag) => values[flag] !== undefined);
    if (stray !== undefined) {
      throw new UsageError(`--${stray}: only with --node (a running stack); without --node the demo starts its own`);
    }
    return { help: false, endpoints: undefined, password: DEMO_PASSWORD };
  }
  // The node from the flag alone (an empty environment): GRAM_NODE never chooses a stack to play on.
  if (nodeUrl({ given: node, env: {} }) === undefined) throw settingError("--node", node, NODE_URL_EXPECTED);
  const rpc = rpcUrl({ given: values.rpc as string | undefined, env, kind: "http", fallback: false });
  if (rpc === undefined) {
    throw new UsageError("--rpc: missing; expected the chain's http(s) URL that `npm start` printed (or GRAM_RPC)");
  }
  return {
    help: false,
    endpoints: {
      node,
      rpc,
      home: given("home", "GRAM_HOME") ?? ".demo/gram",
      deployments: deploymentsDir({ given: values.deployments as string | undefined, env }),
    },
    password: env.GRAM_PASSWORD || DEMO_PASSWORD,
  };
}

async function requireFolder(flag: string, path: string) {
  const found = await stat(path).catch(() => undefined);
  if (found?.isDirectory() !== true) throw new UsageError(`${flag}: got '${path}', expected a folder that exists`);
}

/**
 * Ctrl-C, SIGTERM or SIGHUP (the terminal closed): the story, or the stack's start-up, stops where it is,
 * and the stack is stopped in order before the demo exits. A second one exits at once: the stack's exit
 * hook (demo-stack.ts) kills its process group on the way out.
 */
function onInterrupt(): { interrupted: Promise<never>; signal: AbortSignal } {
  const controller = new AbortController();
  const interrupted = new Promise<never>((_, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      if (controller.signal.aborted) process.exit(EXIT.interrupted);
      const error = new InterruptedError(`${signal}: stopped before the story ended`);
      controller.abort(error);
      reject(error);
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  });
  interrupted.catch(() => {});
  return { interrupted, signal: controller.signal };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (options.endpoints !== undefined) {
    await requireFolder("--home", options.endpoints.home);
    await requireFolder("--deployments", options.endpoints.deployments);
  }
  const { interrupted, signal } = onInterrupt();
  const began = Date.now();
  if (options.endpoints === undefined) {
    console.log("demo: starting a stack of its own (chain, contracts, node) on free loopback ports...");
  }
  const starting =
    options.endpoints === undefined ? startEmbeddedStack({ readyTimeoutMs: READY_TIMEOUT_MS, signal }) : undefined;
  // Whatever happens, the stack is stopped below, once it has started (or failed to, or been stopped by an
  // interrupt during its start-up, which `signal` sees at once).
  const started = async () => starting?.catch(() => undefined);
  try {
    const endpoints =
      starting === undefined ? options.endpoints : (await Promise.race([starting, interrupted])).endpoints;
    const played = await Promise.race([
      playStory({
        endpoints: endpoints as Endpoints,
        password: options.password,
        say: (line) => console.log(line),
        timeoutMs: WAIT_TIMEOUT_MS,
      }),
      interrupted,
    ]);
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    console.log("");
    console.log(
      `demo: every balance matched the chain and the node after each of the ${played.steps} steps (${seconds} s)`,
    );
    return EXIT.ok;
  } catch (error) {
    console.error(`demo: ${describe(error)}`);
    // What the node or the chain said may explain a failure; a mismatch or a Ctrl-C speaks for itself.
    const stack = await started();
    if (stack !== undefined && !(error instanceof BalanceMismatchError || error instanceof InterruptedError)) {
      console.error(`\nthe stack's last output:\n${tail(stack.output(), 15)}`);
    }
    return error instanceof InterruptedError ? EXIT.interrupted : EXIT.failed;
  } finally {
    await (await started())?.stop();
  }
}

/** The error as a reader needs it: its message, and what caused it when that says more. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message.split("\n")[0] : undefined;
  return cause === undefined || error.message.includes(cause) ? error.message : `${error.message}\n  cause: ${cause}`;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`demo: ${describe(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
