// `npm run bench:wallet`: the wallet's benchmark (issue 4, deliverable 4). On Hardhat's chain served on
// loopback by this process, with GramToken and MerchantEscrow deployed, a fresh funded account, and the
// real `bin/gram-node` (with its relayer) synced to the chain (./wallet-setup.ts), it measures:
//   1. `node bin/gram --version`, wall time of the child process (20 runs);
//   2. `node bin/gram balance --node <url>`, wall time (20 runs): reads the account's address from the
//      keystore (no unlock) and its balance from the node;
//   3. keystore unlock (`unlockAccount`) at the default scrypt cost, N = 131072 (5 runs, in-process);
//   4. sign-and-submit of a direct transfer after unlock (`sendTransfer`: amount, balance, gas and fee
//      estimates, summary, nonce, sign, eth_sendRawTransaction), from the call to the hash (30 runs;
//      automine on, so the chain mines it before it answers);
//   5. sign-and-submit of a gasless transfer (`signGaslessTransfer` then `relayTransfer` to the
//      node's relayer, which checks, simulates and sends it from its own key), call to hash (30 runs);
//   6. EIP-712 ERC-3009 authorizations signed per second with a local account, for 2 s.
// Each series starts with one run that is not counted (disk cache, token info cache, JIT). Prints a
// table against the issue's targets and the machine it ran on. A missed target is reported, not an
// error; an error (a failed command, a wrong balance, a child that dies) exits non-zero. Everything it
// started (node, chain, temp folders) is stopped on success, failure and Ctrl-C.
import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseUnits,
  recoverTypedDataAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { gramTokenDomain, transferWithAuthorizationTypes } from "../../protocol/eip712.ts";
import { createGramClient, type GramClient } from "../../wallet/actions/client.ts";
import { sendTransfer } from "../../wallet/actions/sendTransfer.ts";
import { signGaslessTransfer } from "../../wallet/actions/signGaslessTransfer.ts";
import { unlockAccount } from "../../wallet/keys/unlockAccount.ts";
import { DEFAULT_SCRYPT_N, writeKeystore } from "../../wallet/keys/writeKeystore.ts";
import { createNodeClient } from "../../wallet/node/createNodeClient.ts";
import { http as nodeHttp } from "../../wallet/node/http.ts";
import { relayTransfer } from "../../wallet/node/relayTransfer.ts";
import { GRAM_BIN, type Run, runGram } from "../lib/run-gram.ts";
import { killAll } from "../lib/spawn-gram-node.ts";
import { describeMachine, percentile } from "./report.ts";
import {
  FUNDED_GRAM,
  type GramNode,
  ROOT,
  startBenchNode,
  startWalletBenchChain,
  type WalletBenchChain,
} from "./wallet-setup.ts";

const CLI_RUNS = 20;
const UNLOCK_RUNS = 5;
const SEND_RUNS = 30;
const SIGN_SECONDS = 2;
const PASSWORD = "bench: correct horse battery staple";
const AMOUNT = "0.001";
const GRAM = (text: string) => parseUnits(text, 9);

// ---------------------------------------------------------------------------------------------------
// Everything started is registered here and stopped on success, failure and Ctrl-C.

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
let chain: WalletBenchChain | undefined;
let node: GramNode | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await node?.stop().catch(() => {});
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    // A node still starting when Ctrl-C came.
    killAll();
    await chain?.close().catch((error: unknown) => console.error(`bench:wallet: closing the chain: ${String(error)}`));
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }).catch(() => {})));
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\nbench:wallet: ${signal}, stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------
// Statistics.

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `fn` once not counted, then `runs` times; the durations in ms. */
async function series(runs: number, fn: (i: number) => Promise<number>): Promise<number[]> {
  await fn(-1);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i));
  return out;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------------
// The CLI as a user runs it: `node bin/gram …` in a clean environment.

function gram(args: string[], env: Record<string, string>): Promise<Run> {
  return runGram(args, {
    entry: GRAM_BIN,
    env: { HOME: process.env.HOME ?? "", ...env },
    onSpawn: (child) => children.add(child),
  });
}

async function cliSeries(args: string[], env: Record<string, string>, expected: string): Promise<number[]> {
  return series(CLI_RUNS, async () => {
    const run = await gram(args, env);
    if (run.code !== 0 || run.stdout !== expected) {
      throw new Error(
        `gram ${args.join(" ")} exited ${run.code} with ${JSON.stringify(run.stdout)}, expected ${JSON.stringify(expected)}\n${run.stderr}`,
      );
    }
    return run.ms;
  });
}

/** dist/ (compiled CLI) present, built here when missing; whether a wallet/ or protocol/ source is newer. */
async function ensureDist(): Promise<string> {
  const entry = join(ROOT, "dist/wallet/cli/main.js");
  if (!existsSync(entry)) {
    console.log("dist/ is missing: tsc -p tsconfig.build.json");
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (!existsSync(entry)) throw new Error("tsc -p tsconfig.build.json did not write dist/wallet/cli/main.js");
    return "dist/ built by this run";
  }
  const built = (await stat(entry)).mtimeMs;
  let stale = 0;
  for (const dir of ["wallet", "protocol"]) {
    for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) {
        if ((await stat(join(entry.parentPath, entry.name))).mtimeMs > built) stale++;
      }
    }
  }
  return stale === 0
    ? "dist/ present and current"
    : `dist/ present but ${stale} source file(s) are newer (run \`npm run build:cli\`)`;
}

// ---------------------------------------------------------------------------------------------------

interface Row {
  name: string;
  values: number[];
  unit: string;
  /** A target on the median, in `unit`. */
  target?: number;
  targetText: string;
}

async function main() {
  const machine = describeMachine();
  const dist = await ensureDist();
  const temp = await mkdtemp(join(tmpdir(), "gram-bench-wallet-"));
  tempDirs.push(temp);
  const home = join(temp, "home");

  let started = performance.now();
  chain = await startWalletBenchChain(temp);
  const c = chain;
  console.log(
    `chain ${c.chainId} at ${c.url}: contracts deployed, ${c.user.address} funded ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  node = await startBenchNode(c, temp);
  if (node.relayer?.toLowerCase() !== c.relayer.address.toLowerCase()) {
    throw new Error(`the node's relayer is ${node.relayer}, expected ${c.relayer.address}`);
  }
  console.log(
    `gram-node at ${node.url}: serving after ${node.servingMs.toFixed(0)} ms, synced after ${node.syncedMs.toFixed(0)} ms`,
  );

  started = performance.now();
  await writeKeystore({ home, account: { privateKey: c.user.privateKey }, password: PASSWORD });
  const encryptMs = performance.now() - started;
  console.log(`keystore written at scrypt N = ${DEFAULT_SCRYPT_N} in ${encryptMs.toFixed(0)} ms`);

  // 1–2. The CLI, cold, as a child process.
  const env = { GRAM_HOME: home, GRAM_DEPLOYMENTS_DIR: c.deployments, GRAM_RPC: c.url };
  const version = (await import("../../package.json", { with: { type: "json" } })).default.version;
  const versionMs = await cliSeries(["--version"], env, `${version}\n`);
  console.log(`gram --version: median ${median(versionMs).toFixed(0)} ms`);
  const balanceMs = await cliSeries(["balance", "--node", node.url], env, `${FUNDED_GRAM} GRAM\n`);
  console.log(`gram balance --node: median ${median(balanceMs).toFixed(0)} ms`);

  // 3. Unlock at the default cost.
  let privateKey = c.user.privateKey;
  const unlockMs = await series(UNLOCK_RUNS, () =>
    timed(async () => {
      const unlocked = await unlockAccount({ home, address: c.user.address, password: PASSWORD });
      if (unlocked.address !== c.user.address) throw new Error(`unlocked ${unlocked.address}`);
      privateKey = unlocked.privateKey;
    }),
  );
  console.log(`unlock: median ${median(unlockMs).toFixed(0)} ms`);

  // The wallet's client, built as the CLI builds it (wallet/cli/context.ts), with the unlocked key.
  const transport = http(c.url, { retryCount: 1 });
  const viemChain = defineChain({
    id: c.chainId,
    name: "Hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [c.url] } },
  });
  const client: GramClient = await createGramClient({
    publicClient: createPublicClient({ chain: viemChain, transport, pollingInterval: 100 }),
    walletClient: createWalletClient({ chain: viemChain, transport, account: privateKeyToAccount(privateKey) }),
    chainId: c.chainId,
    contracts: { token: c.token, escrow: c.escrow },
    home,
  });
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  await c.rpc("evm_setAutomine", [true]);

  // 4. Direct transfers.
  const directMs = await series(SEND_RUNS, () =>
    timed(async () => {
      await sendTransfer(client, { to: recipient, amount: AMOUNT });
    }),
  );
  const directSent = GRAM(AMOUNT) * BigInt(SEND_RUNS + 1);
  if ((await c.balanceOf(recipient)) !== directSent) {
    throw new Error(
      `the recipient holds ${await c.balanceOf(recipient)} after the direct transfers, expected ${directSent}`,
    );
  }
  console.log(`direct sign-and-submit: median ${median(directMs).toFixed(1)} ms`);

  // 5. Gasless transfers through the node's relayer.
  const signPart: number[] = [];
  const relayer = createNodeClient({ transport: nodeHttp(node?.url as string) });
  const gaslessMs = await series(SEND_RUNS, async (i) => {
    const t0 = performance.now();
    const { request } = await signGaslessTransfer(client, { to: recipient, amount: AMOUNT });
    const t1 = performance.now();
    const { txHash, duplicate } = await relayTransfer(relayer, { request });
    const t2 = performance.now();
    if (duplicate || !/^0x[0-9a-f]{64}$/.test(txHash)) throw new Error(`the relayer answered ${txHash}, duplicate`);
    if (i >= 0) signPart.push(t1 - t0);
    return t2 - t0;
  });
  const allSent = directSent + GRAM(AMOUNT) * BigInt(SEND_RUNS + 1);
  // The relayer answers once the chain has the transaction; with automine it is mined by then.
  const held = await c.balanceOf(recipient);
  if (held !== allSent) throw new Error(`the recipient holds ${held} after the gasless transfers, expected ${allSent}`);
  if ((await c.balanceOf(c.user.address)) !== GRAM(FUNDED_GRAM) - allSent) {
    throw new Error("the sender's balance is not what it sent");
  }
  console.log(`gasless sign-and-submit: median ${median(gaslessMs).toFixed(1)} ms`);

  // 6. EIP-712 ERC-3009 authorizations per second.
  const signer = privateKeyToAccount(privateKey);
  const typedData = (nonce: number) => ({
    domain: gramTokenDomain(c.chainId, c.token),
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization" as const,
    message: {
      from: signer.address,
      to: recipient,
      value: GRAM(AMOUNT),
      validAfter: 0n,
      validBefore: 2n ** 40n,
      nonce: bytesToHex(new Uint8Array(32).fill(nonce & 0xff)),
    },
  });
  const first = await signer.signTypedData(typedData(0));
  if ((await recoverTypedDataAddress({ ...typedData(0), signature: first })) !== signer.address) {
    throw new Error("an authorization does not recover to its signer");
  }
  let signatures = 0;
  const signStart = performance.now();
  while (performance.now() - signStart < SIGN_SECONDS * 1000) {
    await signer.signTypedData(typedData(signatures));
    signatures++;
  }
  const perSecond = (signatures / (performance.now() - signStart)) * 1000;
  console.log(`signatures: ${Math.round(perSecond)}/s`);

  const rows: Row[] = [
    {
      name: `\`gram --version\` (${CLI_RUNS} runs)`,
      values: versionMs,
      unit: "ms",
      target: 150,
      targetText: "≤ 150 ms",
    },
    {
      name: `\`gram balance --node\` (${CLI_RUNS} runs)`,
      values: balanceMs,
      unit: "ms",
      target: 300,
      targetText: "≤ 300 ms",
    },
    {
      name: `keystore unlock, N = ${DEFAULT_SCRYPT_N} (${UNLOCK_RUNS} runs)`,
      values: unlockMs,
      unit: "ms",
      targetText: "",
    },
    {
      name: `direct transfer: sign-and-submit (${SEND_RUNS} runs)`,
      values: directMs,
      unit: "ms",
      target: 50,
      targetText: "≤ 50 ms",
    },
    {
      name: `gasless transfer: sign-and-submit (${SEND_RUNS} runs)`,
      values: gaslessMs,
      unit: "ms",
      target: 50,
      targetText: "≤ 50 ms",
    },
    { name: "  of which signing (with its chain reads)", values: signPart, unit: "ms", targetText: "" },
  ];
  printTable(rows, perSecond, signatures, machine, dist, node);
}

function printTable(
  rows: Row[],
  perSecond: number,
  signatures: number,
  machine: Record<string, string | number>,
  dist: string,
  gramNode: GramNode,
) {
  const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
  const lines: string[][] = [
    ["", "median", "p90", "target"],
    ["---", "---", "---", "---"],
  ];
  let missed = 0;
  for (const row of rows) {
    const m = median(row.values);
    const ok = row.target === undefined ? undefined : m <= row.target;
    if (ok === false) missed++;
    const mark = ok === undefined ? "" : ok ? " ✓" : " ✗ MISSED";
    lines.push([row.name, `${ms(m)}${mark}`, ms(percentile(row.values, 90)), row.targetText]);
  }
  lines.push([
    `EIP-712 ERC-3009 signatures/s (${SIGN_SECONDS} s, ${signatures.toLocaleString("en")} signed)`,
    Math.round(perSecond).toLocaleString("en"),
    "",
    "",
  ]);
  console.log(`\n${lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n")}\n`);
  console.log(
    `Machine: ${machine.cpus} CPUs (${machine.model}), ${machine.memory}, Node ${machine.node}, ${machine.date}, ` +
      `load average at start ${machine.load}. CLI: \`node bin/gram\`, ${dist}; wall time of the child process ` +
      `from spawn to exit. Chain: Hardhat (EDR) on loopback in the bench process, automine on. ` +
      `Node: bin/gram-node with its relayer (serving ${gramNode.servingMs.toFixed(0)} ms, synced ` +
      `${gramNode.syncedMs.toFixed(0)} ms after spawn). Sign-and-submit: in-process wallet actions after ` +
      `unlock, from the call to the transaction hash; each series after one run that is not counted.`,
  );
  if (missed > 0) console.log(`${missed} target(s) missed (reported, not an error).`);
}

try {
  await main();
} catch (error) {
  // After a signal the run fails because its children were stopped: nothing more to say.
  if (cleaning === undefined) {
    console.error(`bench:wallet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (node !== undefined) console.error(`gram-node output (end):\n${node.output().slice(-4000)}`);
  }
  process.exitCode = cleaning === undefined ? 1 : 130;
} finally {
  await cleanup();
}
// Hardhat's and undici's handles may linger: leave now that everything is stopped.
process.exit(process.exitCode ?? 0);
