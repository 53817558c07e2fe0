// Bad flags and environment stop gram-node before it touches anything: exit 1 and one line naming
// the flag (or variable), what it got and what it expected.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, spawnGramNode } from "../../../scripts/lib/spawn-gram-node.ts";

let dir: string;
const keys = { open: "", garbage: "", missing: "" };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gram-node-flags-"));
  keys.open = join(dir, "open.key");
  await writeFile(keys.open, `0x${"11".repeat(32)}\n`);
  await chmod(keys.open, 0o644);
  keys.garbage = join(dir, "garbage.key");
  await writeFile(keys.garbage, "not a key\n");
  await chmod(keys.garbage, 0o600);
  keys.missing = join(dir, "missing.key");
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterAll(killAll);

const RPC = "http://127.0.0.1:1";

const cases: { args: string[]; env?: Record<string, string>; message: () => string }[] = [
  { args: [], message: () => "--rpc: got nothing, expected an http(s) or ws(s) URL" },
  { args: ["--rpc", "foo"], message: () => "--rpc: got 'foo', expected an http(s) or ws(s) URL" },
  {
    args: [],
    env: { GRAM_RPC: "ftp://example.com" },
    message: () => "GRAM_RPC: got 'ftp://example.com', expected an http(s) or ws(s) URL",
  },
  { args: ["--rpc", RPC, "--port", "70000"], message: () => "--port: got '70000', expected an integer 0..65535" },
  {
    args: ["--rpc", RPC],
    env: { GRAM_NODE_PORT: "eighty" },
    message: () => "GRAM_NODE_PORT: got 'eighty', expected an integer 0..65535",
  },
  {
    args: ["--rpc", RPC, "--host", "no such host!"],
    message: () => "--host: got 'no such host!', expected an IP address or host name",
  },
  {
    args: ["--rpc", RPC, "--confirmations", "0"],
    message: () => "--confirmations: got '0', expected an integer 1..1000",
  },
  {
    args: ["--rpc", RPC, "--confirmations", "100"],
    message: () => "--confirmations: got '100', expected at most --finality (64)",
  },
  { args: ["--rpc", RPC, "--finality", "abc"], message: () => "--finality: got 'abc', expected an integer 1..100000" },
  {
    args: ["--rpc", RPC, "--poll-interval-ms", "-5"],
    message: () => "--poll-interval-ms: got '-5', expected an integer 1..3600000 (milliseconds)",
  },
  {
    args: ["--rpc", RPC, "--rpc-timeout-ms", "50"],
    message: () => "--rpc-timeout-ms: got '50', expected an integer 100..600000 (milliseconds)",
  },
  {
    args: ["--rpc", RPC, "--extra-token", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--extra-token", "0x12"],
    message: () => "--extra-token: got '0x12', expected a 0x-prefixed 20-byte address",
  },
  {
    args: ["--rpc", RPC, "--log-level", "loud"],
    message: () => "--log-level: got 'loud', expected one of fatal, error",
  },
  {
    args: ["--rpc", RPC, "--deployments", "/no/such/folder"],
    message: () => "--deployments: got '/no/such/folder', expected a folder of <chainId>.json deployment records",
  },
  {
    args: ["--rpc", RPC, "--web-demo-accounts", "Alice=1"],
    message: () =>
      "--web-demo-accounts: got 'Alice=1', expected comma-separated name=index pairs of Hardhat's development accounts, e.g. alice=1,bob=2",
  },
  {
    args: ["--rpc", RPC, "--relayer-key-file", "KEY:missing"],
    message: () =>
      `--relayer-key-file: got '${keys.missing}', expected a file holding a 0x-prefixed 32-byte private key (no such file)`,
  },
  {
    args: ["--rpc", RPC, "--relayer-key-file", "KEY:open"],
    message: () =>
      `--relayer-key-file: got '${keys.open}', expected a key file others cannot read (it is mode 644; chmod 600 it)`,
  },
  {
    args: ["--rpc", RPC, "--relayer-key-file", "KEY:garbage"],
    message: () =>
      `--relayer-key-file: got '${keys.garbage}', expected a file holding a 0x-prefixed 32-byte private key`,
  },
  {
    args: ["--rpc", RPC, "--relay-ip-rate-limit", "0"],
    message: () => "--relay-ip-rate-limit: got '0', expected an integer 1..1000000 (relay requests per IP per minute)",
  },
  {
    args: ["--rpc", RPC, "--relay-min-amount", "1000", "--relay-min-amount", "0x12=5"],
    message: () =>
      "--relay-min-amount: got '0x12=5', expected a whole number of base units, or <token address>=<base units>",
  },
  {
    args: ["--rpc", RPC],
    env: { GRAM_RELAY_MIN_AMOUNT: "0.5" },
    message: () =>
      "GRAM_RELAY_MIN_AMOUNT: got '0.5', expected a whole number of base units, or <token address>=<base units>",
  },
  {
    args: ["--rpc", RPC, "--relay-transfer-max-gas", "11000000000"],
    message: () => "--relay-transfer-max-gas: got '11000000000', expected an integer 21000..30000000 (gas)",
  },
  {
    args: ["--rpc", RPC, "--relay-max-eth-per-hour", "0"],
    message: () =>
      "--relay-max-eth-per-hour: got '0', expected a positive amount of ETH, at most 18 decimals (e.g. 0.1)",
  },
  {
    args: ["--rpc", RPC, "--relay-watchdog-interval-ms", "5"],
    message: () => "--relay-watchdog-interval-ms: got '5', expected an integer 10..3600000 (milliseconds)",
  },
  {
    args: ["--rpc", RPC, "--hub-connections-per-ip", "0"],
    message: () => "--hub-connections-per-ip: got '0', expected an integer 1..1000000",
  },
  {
    args: ["--rpc", RPC],
    env: { GRAM_HUB_USERNAME_COOLDOWN_MS: "a week" },
    message: () =>
      "GRAM_HUB_USERNAME_COOLDOWN_MS: got 'a week', expected an integer 0..7776000000 (milliseconds, at most 90 days)",
  },
  { args: ["--rpc", RPC, "--bogus"], message: () => "unknown option '--bogus'; see gram-node --help" },
  {
    args: ["--rpc", RPC, "--deployments", "DIR"],
    message: () => "--rpc: got 'http://127.0.0.1:1', expected a reachable JSON-RPC endpoint (an RPC request failed",
  },
];

const label = (c: (typeof cases)[number]) =>
  [...Object.entries(c.env ?? {}).map(([name, value]) => `${name}=${value}`), ...c.args].join(" ") || "(no flags)";

describe.concurrent("gram-node refuses bad configuration", () => {
  it.each(cases.map((c) => [label(c), c] as const))(
    "%s: exit 1 with 'got …, expected …'",
    async (_name, { args, env, message }) => {
      const resolved = args.map((arg) =>
        arg.startsWith("KEY:") ? keys[arg.slice(4) as keyof typeof keys] : arg === "DIR" ? dir : arg,
      );
      const node = spawnGramNode(resolved, env);
      expect(await node.exited).toBe(1);
      const line = node
        .output()
        .split("\n")
        .find((text) => text.startsWith("gram-node: "));
      expect(line).toBeDefined();
      expect(line).toContain(`gram-node: ${message()}`);
    },
  );

  it("prints its flags on --help and exits 0", async () => {
    const node = spawnGramNode(["--help"]);
    expect(await node.exited).toBe(0);
    for (const flag of [
      "--rpc",
      "--data-dir",
      "--port",
      "--deployments",
      "--confirmations",
      "--relayer-key-file",
      "--relay-ip-rate-limit",
      "--relay-min-amount",
      "--relay-max-eth-per-hour",
      "--relay-watchdog-interval-ms",
    ]) {
      expect(node.output()).toContain(flag);
    }
  });
});
