// `npm start`: Gram on embedded defaults. Serves Hardhat's in-process chain on a loopback port (or uses
// the chain at `--rpc`), deploys GramToken and MerchantEscrow or reuses a live deployment
// (deployments/<chainId>.json), funds the demo accounts, writes their keystores and contacts into a demo
// wallet (`.demo/gram`), starts the node (`bin/gram-node`: indexer, API, chat hub, relayer) on its data
// folder (`.demo/node`), prints the endpoints and the next commands, and waits; Ctrl-C stops the node,
// then the chain.
// Flags: --port <n> (chain, default 8545, 0 = any free port), --node-port <n> (default 8787, 0 = any),
// --host <loopback address>, --rpc <http(s) URL> (a running development chain instead of the embedded
// one). GRAM_DEPLOYMENTS_DIR moves the deployment record (default deployments/), GRAM_DEMO_DIR the demo
// folder (default .demo).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { artifacts, network } from "hardhat";
import { createPublicClient, formatUnits, getAddress, http, parseUnits } from "viem";
import { watchParent } from "../node/cli/watch-parent.ts";
import { gramTokenAbi } from "../protocol/abis.ts";
import { deploymentsDir } from "../protocol/settings.ts";
import { chatUrlOf } from "../wallet/chat/chat-url.ts";
import { createNodeClient } from "../wallet/node/createNodeClient.ts";
import { getStatus } from "../wallet/node/getStatus.ts";
import { http as nodeHttp } from "../wallet/node/http.ts";
import { buildWeb } from "./lib/build-web.ts";
import { DEMO_PASSWORD, hardhatKey, prepareDemoWallet } from "./lib/demo-wallet.ts";
import { deployContracts } from "./lib/deploy-contracts.ts";

const DEMO_ACCOUNTS = ["alice", "bob", "merchant", "arbiter"] as const;
/** Hardhat's account #5 relays gasless payments (the demo accounts are #1–#4, #0 deploys). */
const RELAYER_INDEX = 5;
const DEMO_FUNDS = parseUnits("1000", 9);
/** Where the deployment records are: the node is handed the absolute path, the environment line too. */
const deployments = resolve(deploymentsDir({ env: process.env }));

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
        rpc: { type: "string" },
      },
    });
  } catch (error) {
    return fail(
      `${(error as Error).message}; expected --port <0-65535>, --node-port <0-65535>, --host <loopback address> and --rpc <http(s) URL>`,
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

const rpc = values.rpc === undefined ? undefined : parseRpc(values.rpc);
/** The embedded chain; none with `--rpc`. */
const server = rpc === undefined ? await network.createServer("default", values.host, port) : undefined;
const listening = await server
  ?.listen()
  .catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === "EADDRINUSE"
        ? `port ${port} is in use; pass --port <another> (0 picks a free one)`
        : error.message,
    ),
  );
const url =
  listening === undefined
    ? (rpc as string)
    : `http://${listening.address.includes(":") ? `[${listening.address}]` : listening.address}:${listening.port}`;

/** The innermost cause's code or message: "ECONNREFUSED" says more than viem's "HTTP request failed." */
function rootCause(error: unknown): string {
  let inner = error as { cause?: unknown; code?: unknown; message?: string };
  while (inner.cause !== undefined && inner.cause !== null) inner = inner.cause as typeof inner;
  return typeof inner.code === "string" ? inner.code : (inner.message?.split("\n")[0] ?? String(inner));
}

function parseRpc(text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return text.replace(/\/+$/, "");
  } catch {}
  return fail(
    `--rpc: got '${text}', expected the http(s) URL of a running chain's JSON-RPC, e.g. http://127.0.0.1:8545`,
  );
}

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
  if (server !== undefined) {
    console.log("gram: stopping the chain...");
    await server.close();
  }
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
// Run by a supervisor that set GRAM_PARENT_PID (`npm run demo`): stop with it, even if it was SIGKILLed.
watchParent(process.env, () => void stop());

// The embedded chain signs for its unlocked development accounts. A chain at --rpc is signed for here, with
// the same development keys (Hardhat's and Anvil's nodes fund them): #0 deploys, #1–#4 are the demo accounts.
const devKeys = Array.from({ length: 1 + DEMO_ACCOUNTS.length }, (_, i) => hardhatKey(i).privateKey);
if (rpc !== undefined) {
  await createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 10_000 }) })
    .getChainId()
    .catch((error: Error) => fail(`--rpc: cannot reach ${rpc} (${rootCause(error)}); is the chain running?`));
}
const connection = await network.create({
  network: "localhost",
  override: rpc === undefined ? { url } : { url, accounts: devKeys },
});
const publicClient = await connection.viem.getPublicClient();
const chainId = await publicClient.getChainId();
const wallets = await connection.viem.getWalletClients();
const [deployer, ...others] = wallets;
if (deployer === undefined || others.length < DEMO_ACCOUNTS.length) fail("the chain has too few accounts");
if ((await publicClient.getBalance({ address: deployer.account.address })) === 0n) {
  fail(
    `Hardhat's development account ${deployer.account.address} has no ether on chain ${chainId} at ${url}; ` +
      "npm start --rpc is for development chains that fund it (a Hardhat or Anvil node). For another chain, " +
      "deploy with `npm run deploy -- --network custom` and run the node with `npm run node` (see the README).",
  );
}
const demo = Object.fromEntries(DEMO_ACCOUNTS.map((name, i) => [name, getAddress(others[i]?.account.address ?? "")]));

const { deployment, file, status } = await deployContracts({
  viem: connection.viem,
  artifacts,
  dir: deployments,
  env: { GRAM_ARBITER: demo.arbiter, GRAM_TREASURY: deployer.account.address },
});
const token = deployment.contracts.GramToken.address;
// Every demo account holds at least DEMO_FUNDS: topped up, so that a reused deployment keeps what was
// moved before and a drained account can play again.
for (const name of DEMO_ACCOUNTS) {
  const address = demo[name] as `0x${string}`;
  const held = await publicClient.readContract({
    address: token,
    abi: gramTokenAbi,
    functionName: "balanceOf",
    args: [address],
  });
  if (held >= DEMO_FUNDS) continue;
  const hash = await deployer
    .writeContract({ address: token, abi: gramTokenAbi, functionName: "mint", args: [address, DEMO_FUNDS - held] })
    .catch((error: Error) =>
      fail(
        `minting demo GRAM for ${name} failed (${error.message.split("\n")[0]}); the deployer needs GramToken's minter role`,
      ),
    );
  await publicClient.waitForTransactionReceipt({ hash });
}

// The demo wallet and the node's folders. The embedded chain is new on every start, so the node's index
// (and chat history, whose payments would point at transactions that no longer exist) starts over too. A
// chain at --rpc may be the one the node indexed last time: then the node resumes from its own LevelDB.
// It is the same chain only if the escrow's deployment block is still there, with the same hash.
const demoDir = resolve(process.env.GRAM_DEMO_DIR || ".demo");
const home = join(demoDir, "gram");
const dataDir = join(demoDir, "node");
const stackFile = join(demoDir, "chain.json");
await mkdir(home, { recursive: true, mode: 0o700 });
const escrowBlock = deployment.contracts.MerchantEscrow.blockNumber;
const chain = {
  chainId,
  escrow: deployment.contracts.MerchantEscrow.address,
  escrowBlockHash: (await publicClient.getBlock({ blockNumber: BigInt(escrowBlock) })).hash,
};
const previous = await readFile(stackFile, "utf8").catch(() => undefined);
const resume = rpc !== undefined && status === "reused" && previous === JSON.stringify(chain);
if (!resume) await rm(dataDir, { recursive: true, force: true });
await writeFile(stackFile, JSON.stringify(chain));
const wallet = await prepareDemoWallet(home, DEMO_ACCOUNTS, 1);
const relayerKeyFile = join(demoDir, "relayer.key");
await writeFile(relayerKeyFile, `${hardhatKey(RELAYER_INDEX).privateKey}\n`, { mode: 0o600 });

// The web app the node serves at /: built here unless web/dist is newer than its sources.
const web = await buildWeb().catch((error: unknown) => {
  console.error(`gram start: the web app did not build (${(error as Error).message}); the node serves the API only`);
  return undefined;
});
if (web?.built) console.log(`gram: web app built in ${(web.ms / 1000).toFixed(1)} s`);

// The node follows the embedded chain over a WebSocket (new heads are pushed; a chain at --rpc is polled
// every 200 ms). On a development chain blocks are mined only by transactions and nothing reorganises it,
// so one confirmation is final enough: a payment shows confirmed as soon as it is mined instead of
// waiting for someone else's transaction.
// biome-ignore format: one flag and its value a line.
const nodeArgs = [
  "--rpc", rpc ?? url.replace(/^http/, "ws"),
  "--data-dir", dataDir,
  "--deployments", deployments,
  "--host", listening?.address ?? values.host,
  "--port", String(nodePort),
  "--confirmations", "1",
  "--poll-interval-ms", "200",
  "--relayer-key-file", relayerKeyFile,
  // Browsers read the chain over HTTP (the node itself follows it over the WebSocket).
  "--web-rpc", rpc ?? url,
  ...(web === undefined ? [] : ["--web-dir", web.dir]),
  // The web app offers the demo accounts in one click (the node allows it on development chains only).
  "--web-demo-accounts", DEMO_ACCOUNTS.slice(0, 3).map((name, i) => `${name}=${i + 1}`).join(","),
];
// In a process group of its own: Ctrl-C in the terminal signals this script only, which then stops the
// node with one SIGTERM (a terminal's SIGINT to both would make that a second signal, which the node
// takes as "exit now"). GRAM_PARENT_PID makes the node stop by itself if this script is killed.
node = spawn(process.execPath, [join(import.meta.dirname, "../bin/gram-node"), ...nodeArgs], {
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
  env: { ...process.env, GRAM_PARENT_PID: String(process.pid) },
});
process.on("exit", () => node?.kill("SIGTERM"));
let nodeOutput = "";
// The node's "serving" line says where it listens and the block its index resumed from (null: a new index).
const serving = await new Promise<{ url: string; resumeFrom: string; web: string | undefined }>((done) => {
  node?.stdout?.on("data", (chunk: Buffer) => {
    nodeOutput += chunk.toString();
    const url = /"url":"(http:[^"]+)"/.exec(nodeOutput)?.[1];
    const resumeFrom = /"resumeFrom":(\d+|null)/.exec(nodeOutput)?.[1];
    const web = /"web":"(http:[^"]+)"/.exec(nodeOutput)?.[1];
    if (url !== undefined && resumeFrom !== undefined) done({ url, resumeFrom, web });
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
const nodeUrl = serving.url;
await indexed(nodeUrl, await publicClient.getBlockNumber());

/**
 * Waits until the node has indexed `block` (the chain's head once the demo accounts were funded), so that
 * the first `gram balance` after "ready" already shows the funds. A node that does not get there in time
 * is reported, not waited for forever.
 */
async function indexed(url: string, block: bigint) {
  const until = Date.now() + 60_000;
  const node = createNodeClient({ transport: nodeHttp(url) });
  while (Date.now() < until) {
    const status = await getStatus(node).catch(() => undefined);
    if (typeof status?.indexedBlock === "number" && BigInt(status.indexedBlock) >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.error(`gram start: the node has not indexed block ${block} after 60 s; balances may lag`);
}
const env = `GRAM_HOME=${home} GRAM_NODE=${nodeUrl} GRAM_RPC=${url} GRAM_DEPLOYMENTS_DIR=${deployments}`;
const funds = await Promise.all(
  DEMO_ACCOUNTS.map((name) =>
    publicClient.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "balanceOf",
      args: [demo[name] as `0x${string}`],
    }),
  ),
);
const lines = [
  "",
  "Gram is running: a local chain, the contracts, a node with its chat hub and relayer, and the web app.",
  "",
  `  web app         ${serving.web ?? "not served (the build failed: npm run build:web)"}`,
  `  chain (RPC)     ${url}  (chain id ${chainId}, ${rpc === undefined ? "embedded, in memory" : "--rpc"})`,
  `  node (API)      ${nodeUrl}  (chat: ${chatUrlOf(nodeUrl)})`,
  `  GramToken       ${token}`,
  `  MerchantEscrow  ${deployment.contracts.MerchantEscrow.address}`,
  `  deployment      ${shown(file)}  (${status})`,
  `  node data       ${shown(dataDir)}  (${serving.resumeFrom === "null" ? "new index" : `resumed at block ${serving.resumeFrom}`})`,
  `  demo wallet     ${shown(home)}  (password: ${DEMO_PASSWORD}, in ${shown(wallet.passwordFile)})`,
  "",
  "  Demo accounts (Hardhat's public development keys: never use them on a real chain):",
  ...DEMO_ACCOUNTS.map((name, i) => `    ${name.padEnd(9)} ${demo[name]}  ${formatUnits(funds[i] as bigint, 9)} GRAM`),
  "",
  ...(serving.web === undefined
    ? []
    : [
        '  In a browser: open the web app in two windows and press "Open alice" in one, "Open bob" in the',
        "  other (one-click demo accounts, offered on this development chain only).",
        "",
      ]),
  "  Or in another terminal (one per person):",
  `    export ${env} GRAM_PASSWORD=${DEMO_PASSWORD}`,
  `    alias gram=${resolve(import.meta.dirname, "../bin/gram")}`,
  "    gram chat --account alice          # alice's chat; /help lists the commands",
  "    gram chat --account bob            # bob's, in a third terminal",
  "    gram balance --account alice       # or any other gram command",
  "",
  "  Or watch the whole story play (on a stack of its own): npm run demo",
  "",
  "Press Ctrl-C to stop.",
];
console.log(lines.join("\n"));
console.log(`gram: ready ${url}`);
