// `npm start`: Gram on embedded defaults. Serves Hardhat's in-process chain on a loopback port, deploys
// GramToken and MerchantEscrow (deployments/<chainId>.json), funds the demo accounts, writes their
// keystores and contacts into a demo wallet (`.demo/gram`), starts the node (`bin/gram-node`: indexer,
// API, chat hub, relayer) on a fresh data folder (`.demo/node`), prints the endpoints and the next
// commands, and waits; Ctrl-C stops the node, then the chain.
// Flags: --port <n> (chain, default 8545, 0 = any free port), --node-port <n> (default 8787, 0 = any),
// --host <loopback address>. GRAM_DEPLOYMENTS_DIR moves the deployment record (default deployments/),
// GRAM_DEMO_DIR the demo folder (default .demo).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { artifacts, network } from "hardhat";
import { formatUnits, getAddress, parseUnits } from "viem";
import { gramTokenAbi } from "../protocol/abis.ts";
import { DEMO_PASSWORD, hardhatKey, prepareDemoWallet } from "./lib/demo-wallet.ts";
import { deployContracts } from "./lib/deploy-contracts.ts";

const DEMO_ACCOUNTS = ["alice", "bob", "merchant", "arbiter"] as const;
/** Hardhat's account #5 relays gasless payments (the demo accounts are #1–#4, #0 deploys). */
const RELAYER_INDEX = 5;
const DEMO_FUNDS = parseUnits("1000", 9);

function fail(message: string): never {
  console.error(`gram start: ${message}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: process.env.GRAM_PORT ?? "8545" },
        "node-port": { type: "string", default: process.env.GRAM_NODE_PORT ?? "8787" },
        host: { type: "string", default: "127.0.0.1" },
      },
    });
  } catch (error) {
    return fail(
      `${(error as Error).message}; expected --port <0-65535>, --node-port <0-65535> and --host <loopback address>`,
    );
  }
})();
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65_535) fail(`--port: got '${values.port}', expected an integer 0..65535`);
const nodePort = Number(values["node-port"]);
if (!/^\d+$/.test(values["node-port"]) || nodePort > 65_535) {
  fail(`--node-port: got '${values["node-port"]}', expected an integer 0..65535`);
}
if (!["127.0.0.1", "localhost", "::1"].includes(values.host)) {
  fail(`--host: got '${values.host}', expected a loopback address (127.0.0.1, localhost or ::1)`);
}

const server = await network.createServer("default", values.host, port);
const listening = await server
  .listen()
  .catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === "EADDRINUSE"
        ? `port ${port} is in use; pass --port <another> (0 picks a free one)`
        : error.message,
    ),
  );
const url = `http://${listening.address.includes(":") ? `[${listening.address}]` : listening.address}:${listening.port}`;

let node: ChildProcess | undefined;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (node !== undefined && node.exitCode === null && node.signalCode === null) {
    console.log("\ngram: stopping the node...");
    const exited = new Promise((done) => node?.once("exit", done));
    node.kill("SIGTERM");
    await exited;
  }
  console.log("gram: stopping the chain...");
  await server.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

const connection = await network.create({ network: "localhost", override: { url } });
const wallets = await connection.viem.getWalletClients();
const [deployer, ...others] = wallets;
if (deployer === undefined || others.length < DEMO_ACCOUNTS.length) fail("the chain has too few accounts");
const demo = Object.fromEntries(DEMO_ACCOUNTS.map((name, i) => [name, getAddress(others[i]?.account.address ?? "")]));

const { deployment, file } = await deployContracts({
  viem: connection.viem,
  artifacts,
  dir: process.env.GRAM_DEPLOYMENTS_DIR || "deployments",
  env: { GRAM_ARBITER: demo.arbiter, GRAM_TREASURY: deployer.account.address },
});
const token = deployment.contracts.GramToken.address;
const publicClient = await connection.viem.getPublicClient();
for (const name of DEMO_ACCOUNTS) {
  const hash = await deployer.writeContract({
    address: token,
    abi: gramTokenAbi,
    functionName: "mint",
    args: [demo[name] as `0x${string}`, DEMO_FUNDS],
  });
  await publicClient.waitForTransactionReceipt({ hash });
}

// The demo wallet and the node's folders. The chain is new on every start, so the node's index (and chat
// history, whose payments would point at transactions that no longer exist) starts over too.
const demoDir = resolve(process.env.GRAM_DEMO_DIR || ".demo");
const home = join(demoDir, "gram");
const dataDir = join(demoDir, "node");
await mkdir(home, { recursive: true, mode: 0o700 });
await rm(dataDir, { recursive: true, force: true });
const wallet = await prepareDemoWallet(home, DEMO_ACCOUNTS, 1);
const relayerKeyFile = join(demoDir, "relayer.key");
await writeFile(relayerKeyFile, `${hardhatKey(RELAYER_INDEX).privateKey}\n`, { mode: 0o600 });

// The node follows the chain over a WebSocket (new heads are pushed). On this chain blocks are mined
// only by transactions and nothing reorganises it, so one confirmation is final enough: a payment shows
// confirmed as soon as it is mined instead of waiting for someone else's transaction.
// biome-ignore format: one flag and its value a line.
const nodeArgs = [
  "--rpc", url.replace(/^http/, "ws"),
  "--data-dir", dataDir,
  "--deployments", resolve(process.env.GRAM_DEPLOYMENTS_DIR || "deployments"),
  "--host", listening.address,
  "--port", String(nodePort),
  "--confirmations", "1",
  "--poll-interval-ms", "200",
  "--relayer-key-file", relayerKeyFile,
];
node = spawn(process.execPath, [join(import.meta.dirname, "../bin/gram-node"), ...nodeArgs], {
  stdio: ["ignore", "pipe", "inherit"],
});
let nodeOutput = "";
const nodeUrl = await new Promise<string>((done) => {
  node?.stdout?.on("data", (chunk: Buffer) => {
    nodeOutput += chunk.toString();
    const match = /"url":"(http:[^"]+)"/.exec(nodeOutput);
    if (match?.[1]) done(match[1]);
  });
  node?.once("exit", (code) => {
    console.error(nodeOutput);
    console.error(`gram start: the node exited (${code}) before serving`);
    void stop(1);
  });
});
// From here on only the node's warnings and errors are shown (pino levels 40 and up).
let pending = "";
node.stdout?.on("data", (chunk: Buffer) => {
  const lines = (pending + chunk.toString()).split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) if (/"level":(4|5|6)\d/.test(line)) console.log(`node: ${line}`);
});
node.removeAllListeners("exit");
node.once("exit", (code) => {
  if (stopping) return;
  console.error(`gram start: the node stopped (${code}); stopping the chain`);
  void stop(1);
});

// Inside this folder, paths are shown relative to it; the environment line is absolute, to paste anywhere.
const shown = (path: string) => (path.startsWith(process.cwd()) ? relative(process.cwd(), path) : path);
const deployments = resolve(process.env.GRAM_DEPLOYMENTS_DIR || "deployments");
const env = `GRAM_HOME=${home} GRAM_NODE=${nodeUrl} GRAM_RPC=${url} GRAM_DEPLOYMENTS_DIR=${deployments}`;
const lines = [
  "",
  "Gram is running: a local chain, the contracts, a node with its chat hub and relayer.",
  "",
  `  chain (RPC)     ${url}  (chain id ${deployment.chainId})`,
  `  node (API)      ${nodeUrl}  (chat: ${nodeUrl.replace(/^http/, "ws")}/v1/chat)`,
  `  GramToken       ${token}`,
  `  MerchantEscrow  ${deployment.contracts.MerchantEscrow.address}`,
  `  deployment      ${shown(file)}`,
  `  demo wallet     ${shown(home)}  (password: ${DEMO_PASSWORD}, in ${shown(wallet.passwordFile)})`,
  "",
  "  Demo accounts (Hardhat's public development keys: never use them on a real chain):",
  ...DEMO_ACCOUNTS.map((name) => `    ${name.padEnd(9)} ${demo[name]}  ${formatUnits(DEMO_FUNDS, 9)} GRAM`),
  "",
  "  Next, in another terminal (one per person):",
  `    export ${env} GRAM_PASSWORD=${DEMO_PASSWORD}`,
  `    alias gram=${resolve(import.meta.dirname, "../bin/gram")}`,
  "    gram chat --account alice          # alice's chat; /help lists the commands",
  "    gram chat --account bob            # bob's, in a third terminal",
  "    gram balance --account alice       # or any other gram command",
  "",
  "Press Ctrl-C to stop.",
];
console.log(lines.join("\n"));
console.log(`gram: ready ${url}`);
