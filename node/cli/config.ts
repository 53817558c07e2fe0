import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { type Address, formatEther, getAddress, type Hex, isAddress, parseEther } from "viem";
import { z } from "zod";
import { DEV_CHAIN_IDS, isDevChain } from "../../protocol/dev-chain.ts";
import { isUrlOf, resolveSetting, SETTINGS, URL_KINDS } from "../../protocol/settings.ts";
import { GramNodeError } from "../errors.ts";
import { DEFAULT_HUB_LIMITS, type HubLimits } from "../hub/limits.ts";
import { DEFAULT_RELAYER_LIMITS as RELAY, type RelayerLimits } from "../relayer/limits.ts";

/** The node's configuration, built once at start-up from flags and environment (a flag wins). */
export interface NodeConfig {
  rpc: string;
  dataDir: string;
  port: number;
  host: string;
  deploymentsDir: string;
  confirmations: number;
  finality: number;
  pollIntervalMs: number;
  /** The most blocks one `eth_getLogs` asks for: some providers cap ranges. */
  maxLogRange: number;
  /** How long one RPC request of the indexer may take; the indexer retries, the transport does not. */
  rpcTimeoutMs: number;
  /** Absent when no key file is given: the node serves no relay routes. */
  relayer: { keyFile: string; key: Hex; limits: RelayerLimits } | undefined;
  extraTokens: Address[];
  /** Where clients reach this node (chat sign-in names it); undefined: http://<host>:<port>. */
  publicUrl: string | undefined;
  /** The chat hub's caps on connections and its username cooldown. */
  hub: HubConfig;
  /** The built web app served at `/`; the node serves none when the folder has no index.html. */
  webDir: string;
  /** The RPC the web app reads the chain through (told to browsers, allowed by the CSP): `rpc` unless set. */
  webRpc: string;
  /** Hardhat accounts the web app offers in one click, by name; empty unless asked (development chains only). */
  webDemoAccounts: { name: string; index: number }[];
  logLevel: LogLevel;
}

/** The hub's limits set by flags; the others keep `DEFAULT_HUB_LIMITS`. */
export type HubConfig = Pick<
  HubLimits,
  | "connections"
  | "unsignedConnections"
  | "connectionsPerIp"
  | "connectionsPerAddress"
  | "signInTimeoutMs"
  | "usernameCooldownMs"
>;
type HubKey =
  | "hubConnections"
  | "hubUnsignedConnections"
  | "hubConnectionsPerIp"
  | "hubConnectionsPerAddress"
  | "hubSignInTimeoutMs"
  | "hubUsernameCooldownMs";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A flag or environment value that does not fit: the node exits with code 1 before touching anything. */
export class ConfigError extends GramNodeError {
  override name = "ConfigError";
  override readonly code = "CONFIG_INVALID";
  override readonly kind = "user";
}

/** Asked for `--help` or `--version`: printed, and the process exits 0. */
export class ConfigExit extends Error {
  override name = "ConfigExit";
}

type Key = Exclude<keyof NodeConfig, "relayer" | "hub"> | "relayerKeyFile" | RelayKey | HubKey;

/** The relayer's limits, one flag each (`--relay-…`). */
type RelayKey =
  | "relayRateLimit"
  | "relayIpRateLimit"
  | "relayMinAmount"
  | "relayTransferMaxGas"
  | "relayPayMaxGas"
  | "relayContractSignerGas"
  | "relayMaxTxPerHour"
  | "relayMaxEthPerHour"
  | "relayMaxQueue"
  | "relayWatchdogIntervalMs"
  | "relayStuckAfterMs";

/** Flags that may be given several times (the environment variable: comma-separated). */
const REPEATABLE: ReadonlySet<Key> = new Set<Key>(["extraTokens", "relayMinAmount"]);

/** An integer flag: its range, written once for the check and for what the error says was expected. */
const integer = (min: number, max: number, unit?: string) => ({
  expected: `an integer ${min}..${max}${unit === undefined ? "" : ` (${unit})`}`,
  schema: z
    .string()
    .refine((value) => /^\d{1,10}$/.test(value) && Number(value) >= min && Number(value) <= max)
    .transform(Number),
});
const nonEmpty = z.string().refine((value) => value.trim().length > 0);
const HOST = /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)$/;

interface Flag {
  flag: string;
  env: string;
  default?: string;
  /** What the flag takes: the second half of every error about it. */
  expected: string;
  describe: string;
  /** Checks the value (a string, or the strings of a repeatable flag) and turns it into the config's. */
  schema: z.ZodType;
}

/** The repository's web/dist, where `npm run build:web` puts the app. */
export const DEFAULT_WEB_DIR = join(import.meta.dirname, "../../web/dist");

/** Every flag: its environment variable, its default, what it expects, and the check of that. */
const FLAGS = {
  rpc: {
    // No default: a node follows the chain it is pointed at, never one it guessed.
    flag: "--rpc <url>",
    env: SETTINGS.rpc.env,
    expected: URL_KINDS.rpc.expected,
    describe: "JSON-RPC endpoint of the chain to follow; its chain id selects <deployments>/<chainId>.json",
    schema: z.string().refine((value) => isUrlOf("rpc", value)),
  },
  dataDir: {
    flag: "--data-dir <path>",
    env: "GRAM_DATA_DIR",
    default: "./.gram-node",
    expected: "a folder path",
    describe: "LevelDB folder (created when missing)",
    schema: nonEmpty,
  },
  port: {
    flag: "--port <n>",
    env: "GRAM_NODE_PORT",
    default: "8787",
    ...integer(0, 65_535),
    describe: "HTTP/WebSocket port (0 picks a free one)",
  },
  host: {
    flag: "--host <address>",
    env: "GRAM_NODE_HOST",
    default: "127.0.0.1",
    expected: "an IP address or host name",
    describe: "interface to listen on",
    schema: z.string().regex(HOST),
  },
  deploymentsDir: {
    flag: "--deployments <dir>",
    env: SETTINGS.deployments.env,
    default: SETTINGS.deployments.default,
    expected: "a folder of <chainId>.json deployment records",
    describe: "where the contracts' deployment records are",
    schema: nonEmpty,
  },
  confirmations: {
    flag: "--confirmations <n>",
    env: "GRAM_CONFIRMATIONS",
    default: "2",
    ...integer(1, 1_000),
    describe: "depth from which the API marks entries confirmed",
  },
  finality: {
    flag: "--finality <n>",
    env: "GRAM_FINALITY",
    default: "64",
    ...integer(1, 100_000),
    describe: "blocks behind the head treated as final; a deeper reorg stops the node (exit 2)",
  },
  pollIntervalMs: {
    flag: "--poll-interval-ms <ms>",
    env: "GRAM_POLL_INTERVAL_MS",
    default: "1000",
    ...integer(1, 3_600_000, "milliseconds"),
    describe: "how often to look for a new head once synced",
  },
  maxLogRange: {
    flag: "--max-log-range <blocks>",
    env: "GRAM_MAX_LOG_RANGE",
    default: "100000",
    ...integer(1, 1_000_000, "blocks"),
    describe: "largest block range of one eth_getLogs request",
  },
  rpcTimeoutMs: {
    flag: "--rpc-timeout-ms <ms>",
    env: "GRAM_RPC_TIMEOUT_MS",
    default: "5000",
    ...integer(100, 600_000, "milliseconds"),
    describe:
      "how long one RPC request of the indexer may take before it counts as failed (the indexer retries it; the transport itself does not)",
  },
  relayerKeyFile: {
    flag: "--relayer-key-file <path>",
    env: "GRAM_RELAYER_KEY_FILE",
    expected: "a file holding a 0x-prefixed 32-byte private key",
    describe: "the relayer's private key (0x + 64 hex digits, mode 600); without it no relay routes are served",
    schema: nonEmpty.optional(),
  },
  relayRateLimit: {
    flag: "--relay-rate-limit <n>",
    env: "GRAM_RELAY_RATE_LIMIT",
    default: String(RELAY.perPayerPerMinute),
    ...integer(1, 100_000, "relays per payer per minute"),
    describe: "relays accepted per payer per minute, counted once the payer's signature verifies",
  },
  relayIpRateLimit: {
    flag: "--relay-ip-rate-limit <n>",
    env: "GRAM_RELAY_IP_RATE_LIMIT",
    default: String(RELAY.perIpPerMinute),
    ...integer(1, 1_000_000, "relay requests per IP per minute"),
    describe: "relay requests accepted per client IP per minute, counted before any work",
  },
  relayMinAmount: {
    flag: "--relay-min-amount <[token=]units>",
    env: "GRAM_RELAY_MIN_AMOUNT",
    expected: "a whole number of base units, or <token address>=<base units>",
    describe:
      "smallest amount relayed, in base units: for every token, or for one (repeatable; env: comma-separated); default a thousandth of one token (GRAM: 1000000)",
    schema: z.array(
      z
        .string()
        .regex(/^(0x[0-9a-fA-F]{40}=)?\d{1,78}$/)
        .refine((value) => !value.includes("=") || isAddress(value.slice(0, 42))),
    ),
  },
  relayTransferMaxGas: {
    flag: "--relay-transfer-max-gas <gas>",
    env: "GRAM_RELAY_TRANSFER_MAX_GAS",
    default: String(RELAY.maxGas.transfer),
    ...integer(21_000, 30_000_000, "gas"),
    describe: "most gas a relayed transfer may take (estimate); more is refused",
  },
  relayPayMaxGas: {
    flag: "--relay-pay-max-gas <gas>",
    env: "GRAM_RELAY_PAY_MAX_GAS",
    default: String(RELAY.maxGas.pay),
    ...integer(21_000, 30_000_000, "gas"),
    describe: "most gas a relayed invoice payment may take (estimate); more is refused",
  },
  relayContractSignerGas: {
    flag: "--relay-contract-signer-gas <gas>",
    env: "GRAM_RELAY_CONTRACT_SIGNER_GAS",
    default: String(RELAY.contractSignerGas),
    ...integer(0, 30_000_000, "gas"),
    describe: "gas each contract (ERC-1271) signer may add to a route's ceiling, and use in its isValidSignature",
  },
  relayMaxTxPerHour: {
    flag: "--relay-max-tx-per-hour <n>",
    env: "GRAM_RELAY_MAX_TX_PER_HOUR",
    default: String(RELAY.maxTransactionsPerHour),
    ...integer(1, 10_000_000, "transactions"),
    describe: "relayed transactions in any hour; past it relays answer 503",
  },
  relayMaxEthPerHour: {
    flag: "--relay-max-eth-per-hour <eth>",
    env: "GRAM_RELAY_MAX_ETH_PER_HOUR",
    default: formatEther(RELAY.maxWeiPerHour),
    expected: "a positive amount of ETH, at most 18 decimals (e.g. 0.1)",
    describe: "ETH committed to gas in any hour (gas limit × max fee); past it relays answer 503",
    schema: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,18})?$/)
      .transform((value) => parseEther(value))
      .refine((wei) => wei > 0n),
  },
  relayMaxQueue: {
    flag: "--relay-max-queue <n>",
    env: "GRAM_RELAY_MAX_QUEUE",
    default: String(RELAY.maxQueue),
    ...integer(1, 10_000, "transactions"),
    describe: "relayer transactions waiting to be mined beyond which relays answer 503",
  },
  relayWatchdogIntervalMs: {
    flag: "--relay-watchdog-interval-ms <ms>",
    env: "GRAM_RELAY_WATCHDOG_INTERVAL_MS",
    default: String(RELAY.watchdogIntervalMs),
    ...integer(10, 3_600_000, "milliseconds"),
    describe: "how often the relayer's watchdog checks its transactions against the chain",
  },
  relayStuckAfterMs: {
    flag: "--relay-stuck-after-ms <ms>",
    env: "GRAM_RELAY_STUCK_AFTER_MS",
    default: String(RELAY.stuckAfterMs),
    ...integer(1_000, 86_400_000, "milliseconds"),
    describe: "how long a relayer transaction may wait in the mempool before it is replaced with a higher fee",
  },
  extraTokens: {
    flag: "--extra-token <address>",
    env: "GRAM_EXTRA_TOKENS",
    expected: "a 0x-prefixed 20-byte address",
    describe: "another ERC-20 to index (repeatable; env: comma-separated)",
    schema: z.array(
      z
        .string()
        .refine((value) => isAddress(value))
        .transform((value) => getAddress(value)),
    ),
  },
  publicUrl: {
    flag: "--public-url <url>",
    env: "GRAM_PUBLIC_URL",
    expected: "an http(s) URL with no path",
    describe:
      "the URL clients reach this node at, behind a proxy (chat sign-in messages must name it); default http://<host>:<port>",
    schema: z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          return ["http:", "https:"].includes(url.protocol) && url.pathname === "/" && !url.search && !url.hash;
        } catch {
          return false;
        }
      })
      .optional(),
  },
  hubConnections: {
    flag: "--hub-connections <n>",
    env: "GRAM_HUB_CONNECTIONS",
    default: String(DEFAULT_HUB_LIMITS.connections),
    ...integer(1, 1_000_000),
    describe: "signed-in chat connections, all addresses together",
  },
  hubUnsignedConnections: {
    flag: "--hub-unsigned-connections <n>",
    env: "GRAM_HUB_UNSIGNED_CONNECTIONS",
    default: String(DEFAULT_HUB_LIMITS.unsignedConnections),
    ...integer(1, 1_000_000),
    describe: "chat connections waiting to sign in; past it the one waiting longest is closed",
  },
  hubConnectionsPerIp: {
    flag: "--hub-connections-per-ip <n>",
    env: "GRAM_HUB_CONNECTIONS_PER_IP",
    default: String(DEFAULT_HUB_LIMITS.connectionsPerIp),
    ...integer(1, 1_000_000),
    describe: "chat connections from one IP address (an IPv6 /64), signed in or not",
  },
  hubConnectionsPerAddress: {
    flag: "--hub-connections-per-address <n>",
    env: "GRAM_HUB_CONNECTIONS_PER_ADDRESS",
    default: String(DEFAULT_HUB_LIMITS.connectionsPerAddress),
    ...integer(1, 10_000),
    describe: "signed-in chat connections of one wallet address (its devices)",
  },
  hubSignInTimeoutMs: {
    flag: "--hub-sign-in-timeout-ms <ms>",
    env: "GRAM_HUB_SIGN_IN_TIMEOUT_MS",
    default: String(DEFAULT_HUB_LIMITS.signInTimeoutMs),
    ...integer(100, 600_000, "milliseconds"),
    describe: "a chat connection not signed in by then is closed",
  },
  hubUsernameCooldownMs: {
    flag: "--hub-username-cooldown-ms <ms>",
    env: "GRAM_HUB_USERNAME_COOLDOWN_MS",
    default: String(DEFAULT_HUB_LIMITS.usernameCooldownMs),
    ...integer(0, 7_776_000_000, "milliseconds, at most 90 days"),
    describe: "how long a username given up stays held for its owner (7 days by default)",
  },
  webDir: {
    flag: "--web-dir <path>",
    env: "GRAM_WEB_DIR",
    default: DEFAULT_WEB_DIR,
    expected: "a folder holding the built web app (index.html)",
    describe: "the built web app served at / (npm run build:web); none is served when the folder has no index.html",
    schema: nonEmpty,
  },
  webRpc: {
    flag: "--web-rpc <url>",
    env: "GRAM_WEB_RPC",
    expected: URL_KINDS.rpc.expected,
    describe:
      "the chain's JSON-RPC as browsers reach it (told to the web app and allowed by its CSP); default --rpc. Set it when --rpc holds a provider's key",
    schema: z
      .string()
      .refine((value) => isUrlOf("rpc", value))
      .optional(),
  },
  webDemoAccounts: {
    flag: "--web-demo-accounts <name=index,...>",
    env: "GRAM_WEB_DEMO_ACCOUNTS",
    expected: "comma-separated name=index pairs of Hardhat's development accounts, e.g. alice=1,bob=2",
    describe:
      "on a development chain only (chain id 31337 or 1337): the web app offers these published Hardhat accounts in one click (npm start sets it)",
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}=\d{1,3}(,[a-z][a-z0-9-]{0,31}=\d{1,3}){0,15}$/)
      .optional(),
  },
  logLevel: {
    flag: "--log-level <level>",
    env: "GRAM_LOG_LEVEL",
    default: "info",
    expected: `one of ${LOG_LEVELS.join(", ")}`,
    describe: "log verbosity",
    schema: z.enum(LOG_LEVELS),
  },
} satisfies Record<Key, Flag>;
type Shape = { [K in Key]: (typeof FLAGS)[K]["schema"] };

const schema = z
  .object(Object.fromEntries(Object.entries(FLAGS).map(([key, spec]) => [key, spec.schema])) as Shape)
  // Counting confirmations past the depth where blocks are final and pruned would mean nothing.
  .refine((config) => config.confirmations <= config.finality, { path: ["confirmations"] });

export interface LoadConfigParameters {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Where `--help` and `--version` print. */
  write?: (text: string) => void;
  version?: string;
}

/**
 * Builds the node's configuration from flags and environment and checks every value, including the
 * relayer's key file (read here, refused when others may read it). Throws a `ConfigError` whose message
 * names the flag, what it got and what it expected: "--rpc: got 'foo', expected an http(s) or ws(s) URL".
 *
 * @example
 * const config = await loadConfig({ argv: process.argv.slice(2), env: process.env });
 */
export async function loadConfig({
  argv,
  env,
  write = (text) => process.stdout.write(text),
  version = "0.0.0",
}: LoadConfigParameters): Promise<NodeConfig> {
  const flags = parseFlags(argv, write, version);
  const raw: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const [key, spec] of Object.entries(FLAGS) as [Key, Flag][]) {
    const name = spec.flag.split(" ")[0] as string;
    if (REPEATABLE.has(key)) {
      const given = flags[key] as string[] | undefined;
      const fromEnv = env[spec.env];
      raw[key] = given ?? (fromEnv ? fromEnv.split(",").map((token) => token.trim()) : []);
      source[key] = given === undefined && fromEnv ? spec.env : name;
      continue;
    }
    const resolved = resolveSetting({ ...spec, flag: name }, flags[key] as string | undefined, env);
    raw[key] = resolved.value;
    source[key] = resolved.source;
  }

  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = (issue?.path[0] ?? "rpc") as Key;
    const index = issue?.path[1];
    const got = typeof index === "number" ? (raw[key] as string[])[index] : raw[key];
    let expected: string = FLAGS[key].expected;
    if (key === "confirmations" && issue?.code === "custom" && issue.path.length === 1 && got !== undefined) {
      const valid = FLAGS.confirmations.schema.safeParse(got).success;
      if (valid) expected = `at most --finality (${String(raw.finality)})`;
    }
    throw fail(source[key] ?? key, got, expected);
  }
  const data = result.data;
  const relayer =
    data.relayerKeyFile === undefined
      ? undefined
      : {
          keyFile: data.relayerKeyFile,
          key: await readKeyFile(data.relayerKeyFile, source.relayerKeyFile ?? "--relayer-key-file"),
          limits: relayLimits(data),
        };
  await expectFolder(data.deploymentsDir, source.deploymentsDir ?? "--deployments");
  return {
    rpc: data.rpc,
    dataDir: data.dataDir,
    port: data.port,
    host: data.host.replace(/^\[(.*)\]$/, "$1"),
    deploymentsDir: data.deploymentsDir,
    confirmations: data.confirmations,
    finality: data.finality,
    pollIntervalMs: data.pollIntervalMs,
    maxLogRange: data.maxLogRange,
    rpcTimeoutMs: data.rpcTimeoutMs,
    relayer,
    extraTokens: [...new Set(data.extraTokens)],
    publicUrl: data.publicUrl === undefined ? undefined : new URL(data.publicUrl).origin,
    hub: {
      connections: data.hubConnections,
      unsignedConnections: data.hubUnsignedConnections,
      connectionsPerIp: data.hubConnectionsPerIp,
      connectionsPerAddress: data.hubConnectionsPerAddress,
      signInTimeoutMs: data.hubSignInTimeoutMs,
      usernameCooldownMs: data.hubUsernameCooldownMs,
    },
    webDir: data.webDir,
    webRpc: data.webRpc ?? data.rpc,
    webDemoAccounts: (data.webDemoAccounts ?? "")
      .split(",")
      .filter((pair) => pair !== "")
      .map((pair) => {
        const [name, index] = pair.split("=") as [string, string];
        return { name, index: Number(index) };
      }),
    logLevel: data.logLevel,
  };
}

/**
 * Refuses `--web-demo-accounts` unless the chain is a development chain: published keys on a real chain
 * would be anyone's money. Checked once the chain's id is known, before anything is served.
 */
export function checkDemoAccounts(config: Pick<NodeConfig, "webDemoAccounts">, chainId: number): void {
  if (config.webDemoAccounts.length === 0 || isDevChain(chainId)) return;
  throw fail(
    "--web-demo-accounts",
    config.webDemoAccounts.map(({ name, index }) => `${name}=${index}`).join(","),
    `nothing on chain ${chainId}: demo accounts are for development chains only (${DEV_CHAIN_IDS.join(", ")})`,
  );
}

/** "--flag: got 'value', expected …"; values are cut short, never a key's contents. */
export function fail(label: string, got: unknown, expected: string): ConfigError {
  const text = got === undefined ? "nothing" : `'${String(got).length > 120 ? `${String(got).slice(0, 120)}…` : got}'`;
  return new ConfigError(`${label}: got ${text}, expected ${expected}`);
}

function parseFlags(argv: readonly string[], write: (text: string) => void, version: string) {
  const program = new Command("gram-node")
    .description("Gram node: indexes GramToken and MerchantEscrow into LevelDB and serves the API and the relayer.")
    .version(version, "-v, --version")
    .helpOption("-h, --help")
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: () => {} })
    .allowExcessArguments(false);
  const attributes: [Key, string][] = [];
  for (const [key, spec] of Object.entries(FLAGS) as [Key, Flag][]) {
    const defaults = spec.default === undefined ? "" : ` (default: ${spec.default})`;
    const option = new Option(spec.flag, `${spec.describe}${defaults} [env ${spec.env}]`);
    if (REPEATABLE.has(key)) option.argParser((value: string, previous: string[] = []) => [...previous, value]);
    program.addOption(option);
    attributes.push([key, option.attributeName()]);
  }
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") throw new ConfigExit();
      throw new ConfigError(`${error.message.replace(/^error: /, "")}; see gram-node --help`);
    }
    throw error;
  }
  const opts = program.opts<Record<string, string | string[] | undefined>>();
  // Commander names values after the flag (`--deployments` → `deployments`); the config's names differ.
  return Object.fromEntries(attributes.map(([key, attribute]) => [key, opts[attribute]])) as Partial<
    Record<Key, string | string[]>
  >;
}

function relayLimits(data: z.output<typeof schema>): RelayerLimits {
  const minAmount: RelayerLimits["minAmount"] = {};
  const tokens: Record<Address, bigint> = {};
  for (const given of data.relayMinAmount) {
    const [token, units] = given.includes("=") ? given.split("=") : [undefined, given];
    if (token === undefined) minAmount.default = BigInt(units as string);
    else tokens[getAddress(token)] = BigInt(units as string);
  }
  if (Object.keys(tokens).length > 0) minAmount.tokens = tokens;
  return {
    perPayerPerMinute: data.relayRateLimit,
    perIpPerMinute: data.relayIpRateLimit,
    minAmount,
    maxGas: { transfer: BigInt(data.relayTransferMaxGas), pay: BigInt(data.relayPayMaxGas) },
    contractSignerGas: BigInt(data.relayContractSignerGas),
    maxTransactionsPerHour: data.relayMaxTxPerHour,
    maxWeiPerHour: data.relayMaxEthPerHour,
    maxQueue: data.relayMaxQueue,
    watchdogIntervalMs: data.relayWatchdogIntervalMs,
    stuckAfterMs: data.relayStuckAfterMs,
  };
}

async function readKeyFile(path: string, label: string): Promise<Hex> {
  const expected = FLAGS.relayerKeyFile.expected;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch {
    throw fail(label, path, `${expected} (no such file)`);
  }
  // A key others can read is a key others may already hold.
  if ((mode & 0o007) !== 0) {
    throw fail(label, path, `a key file others cannot read (it is mode ${(mode & 0o777).toString(8)}; chmod 600 it)`);
  }
  let text: string;
  try {
    text = (await readFile(path, "utf8")).trim();
  } catch {
    throw fail(label, path, `${expected} (it cannot be read)`);
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw fail(label, path, expected);
  return text.toLowerCase() as Hex;
}

async function expectFolder(path: string, label: string) {
  const isFolder = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) throw fail(label, path, FLAGS.deploymentsDir.expected);
}
