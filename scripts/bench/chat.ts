// `npm run bench:chat`: the chat hub's benchmark (issue 5, deliverable 6). On Hardhat's chain served on
// loopback by this process, with the contracts deployed and the real `bin/gram-node` (indexer, API,
// relayer and chat hub) in a child process:
//   1. fan-out: a load generator in another child process (chat-load.ts) connects 1,000 clients to
//      /v1/chat, signs each in, puts them in groups of 250 and runs phases in which a number of members
//      each post one signed message a second into their group; every other member receives it. Reported
//      per phase: messages delivered per second and the delivery latency (send → frame received: p50, p99);
//   2. pay → confirmed: alice pays bob through the chat client and bob's client waits until it shows the
//      payment confirmed (by the chain, through the node): the time from alice's command to bob seeing it.
// A missed target is reported, not an error; an error (a lost message, a child that fails) exits 1.
//
// Flags: --clients <n> (1000), --group-size <n> (250), --senders <n[,n…]> (40,80,160), --seconds <n> (10),
// --quick (200 clients, 3-second phases).
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ChatLoadConfig, ChatLoadMessage, ChatPhaseResult } from "./chat-load.ts";
import { describeMachine } from "./report.ts";
import { type GramNode, startGramNode, startWalletBenchChain, type WalletBenchChain } from "./wallet-setup.ts";

const TARGETS = { deliveredPerSecond: 20_000, p99Ms: 50, payToConfirmedMs: 500 };

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        clients: { type: "string" },
        "group-size": { type: "string", default: "250" },
        senders: { type: "string", default: "40,80,160" },
        seconds: { type: "string" },
        quick: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    console.error(
      `bench:chat: ${(error as Error).message}; expected --clients <n>, --group-size <n>, --senders <n[,n…]>, --seconds <n>, --quick`,
    );
    process.exit(2);
  }
})();

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench:chat: --${flag}: got '${text}', expected a positive integer`);
    process.exit(2);
  }
  return n;
}
const clients = positive("clients", values.clients ?? (values.quick ? "200" : "1000"));
const groupSize = positive("group-size", values["group-size"]);
const phases = values.senders.split(",").map((text) => positive("senders", text));
const phaseSeconds = positive("seconds", values.seconds ?? (values.quick ? "3" : "10"));
if (groupSize < 2 || groupSize > 256) {
  console.error(`bench:chat: --group-size: got ${groupSize}, expected 2 to 256 (a group's limit)`);
  process.exit(2);
}

const children = new Set<ChildProcess>();
let chain: WalletBenchChain | undefined;
let node: GramNode | undefined;
let temp: string | undefined;
async function cleanup() {
  for (const child of children) child.kill("SIGKILL");
  await node?.stop().catch(() => {});
  await chain?.close().catch(() => {});
  if (temp !== undefined) await rm(temp, { recursive: true, force: true });
}
process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

/** Runs the fan-out load generator; resolves with its sign-in time and one result per phase. */
function fanOut(config: ChatLoadConfig): Promise<{ signInSeconds: number; results: ChatPhaseResult[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./chat-load.ts", import.meta.url), [JSON.stringify(config)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.add(child);
    const results: ChatPhaseResult[] = [];
    let signInSeconds = 0;
    child.on("message", (message: ChatLoadMessage) => {
      if (message.type === "ready") {
        signInSeconds = message.signInSeconds;
        console.log(
          `  ${config.clients} clients signed in in ${message.signInSeconds.toFixed(1)} s, ${message.groups} groups`,
        );
      } else if (message.type === "phase") {
        results.push(message.result);
        const r = message.result;
        console.log(
          `  ${r.senders} senders: ${Math.round(r.delivered / r.seconds).toLocaleString("en-US")} delivered/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
        );
      } else if (message.type === "done") {
        resolve({ signInSeconds, results });
      } else if (message.type === "error") {
        reject(new Error(`load generator: ${message.message}`));
      }
    });
    child.once("exit", (code) => {
      children.delete(child);
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
    });
  });
}

async function main() {
  const machine = describeMachine();
  temp = await mkdtemp(join(tmpdir(), "gram-bench-chat-"));
  chain = await startWalletBenchChain(temp);
  node = await startGramNode(chain, temp, (child) => children.add(child));
  const wsUrl = `${node.url.replace(/^http/, "ws")}/v1/chat`;

  console.log(`fan-out: ${clients} clients in groups of ${groupSize}, phases of ${phaseSeconds} s`);
  const { signInSeconds, results } = await fanOut({
    wsUrl,
    chainId: chain.chainId,
    escrow: chain.escrow,
    clients,
    groupSize,
    phases,
    phaseSeconds,
  });
  const lost = results.filter((r) => r.delivered !== r.expected);
  if (lost.length > 0) {
    throw new Error(`messages lost: ${lost.map((r) => `${r.delivered} of ${r.expected}`).join(", ")}`);
  }

  console.log();
  console.log(`bench:chat — ${machine.cpus} × ${machine.model}, ${machine.memory}, Node ${machine.node}`);
  console.log(`${machine.date}, load average at start ${machine.load}`);
  console.log(`${clients} clients, groups of ${groupSize}, sign-in of all: ${signInSeconds.toFixed(1)} s`);
  console.log("| senders (1 msg/s each) | delivered/s | p50 | p99 | max | target |");
  console.log("| ---: | ---: | ---: | ---: | ---: | --- |");
  for (const r of results) {
    console.log(
      `| ${r.senders} | ${Math.round(r.delivered / r.seconds).toLocaleString("en-US")} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(0)} ms | ≥ ${TARGETS.deliveredPerSecond.toLocaleString("en-US")}/s, p99 ≤ ${TARGETS.p99Ms} ms |`,
    );
  }
}

main().then(
  () => cleanup(),
  async (error: unknown) => {
    console.error(`bench:chat: ${(error as Error).stack ?? error}`);
    if (node !== undefined) console.error(node.output().slice(-3000));
    await cleanup();
    process.exit(1);
  },
);
