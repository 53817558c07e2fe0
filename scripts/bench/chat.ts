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
// Flags: --clients <n> (1000), --group-size <n> (250), --senders <n[,n…]> (40,81,120: 81 × 249 members is the first load past 20,000/s), --seconds <n> (10),
// --quick (200 clients, 3-second phases).
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createGramClient } from "../../wallet/actions/client.ts";
import { chatUrlOf } from "../../wallet/chat/chat-url.ts";
import { connectChat } from "../../wallet/chat/connectChat.ts";
import { createPaymentTracker } from "../../wallet/chat/createPaymentTracker.ts";
import { sendChatTransfer } from "../../wallet/chat/sendChatTransfer.ts";
import { killAll } from "../lib/spawn-gram-node.ts";
import type { ChatLoadConfig, ChatLoadMessage, ChatPhaseResult } from "./chat-load.ts";
import { describeMachine, percentile } from "./report.ts";
import { type GramNode, startBenchNode, startWalletBenchChain, type WalletBenchChain } from "./wallet-setup.ts";

const TARGETS = { deliveredPerSecond: 20_000, p99Ms: 50, payToConfirmedMs: 500 };

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        clients: { type: "string" },
        "group-size": { type: "string", default: "250" },
        senders: { type: "string", default: "40,81,120" },
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
  // A node still starting when Ctrl-C came.
  killAll();
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

/**
 * Alice pays bob `samples` times through the chat client (direct, then gasless through the node's
 * relayer); each sample is the time from the call (signing included) to bob's client showing the payment
 * confirmed: its message received, verified, and its transaction's receipt checked on the chain.
 */
async function payToConfirmed(
  bench: WalletBenchChain,
  nodeUrl: string,
  samples: number,
): Promise<{ direct: number[]; gasless: number[] }> {
  const publicClient = createPublicClient({ transport: http(bench.url) });
  const contracts = { token: bench.token, escrow: bench.escrow };
  const alice = privateKeyToAccount(bench.user.privateKey);
  const bob = privateKeyToAccount(generatePrivateKey());
  const home = join(temp as string, "pay");
  const aliceClient = await createGramClient({
    publicClient,
    walletClient: createWalletClient({ account: alice, transport: http(bench.url) }),
    chainId: bench.chainId,
    contracts,
    home,
  });
  const bobClient = await createGramClient({ publicClient, chainId: bench.chainId, contracts, home });
  const connect = (account: typeof alice) =>
    connectChat({ url: nodeUrl, account, chainId: bench.chainId, escrow: bench.escrow });
  const [aliceChat, bobChat] = await Promise.all([connect(alice), connect(bob)]);
  const payments = createPaymentTracker({ client: bobClient, state: bobChat.state });
  const waiting = new Map<Hex, () => void>();
  const confirmed = (id: Hex) => {
    waiting.get(id)?.();
    waiting.delete(id);
  };
  bobChat.on(async (event) => {
    if (event.type === "message" && event.message.envelope.body.type === "payment") {
      if ((await payments.check(event.message)).state === "confirmed") confirmed(event.message.envelope.id);
    } else if (event.type === "status") {
      for (const update of await payments.hint(event.status)) {
        if (update.verification.state === "confirmed") confirmed(update.id);
      }
    }
  });
  const run = async (relayer: string | undefined) => {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      let seen: (() => void) | undefined;
      const shown = new Promise<void>((resolve) => {
        seen = resolve;
      });
      const sent = await sendChatTransfer(aliceClient, aliceChat, {
        to: { type: "direct", address: bob.address },
        recipient: bob.address,
        amount: "1",
        memo: `sample ${i}`,
        ...(relayer === undefined ? {} : { relayer }),
      });
      const id = sent.message.envelope.id;
      if (payments.get(id)?.state === "confirmed") seen?.();
      else waiting.set(id, seen as () => void);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`payment ${id} not confirmed within 10 s`)), 10_000).unref(),
      );
      await Promise.race([shown, timeout]);
      times.push(performance.now() - started);
    }
    return times;
  };
  try {
    return { direct: await run(undefined), gasless: await run(nodeUrl) };
  } finally {
    await Promise.all([aliceChat.close(), bobChat.close()]);
  }
}

async function main() {
  const machine = describeMachine();
  temp = await mkdtemp(join(tmpdir(), "gram-bench-chat-"));
  chain = await startWalletBenchChain(temp);
  // Every client connects from 127.0.0.1: the hub's per-IP cap (64 by default, for a public node) is
  // raised to let the load generator's clients and the pay clients all in.
  node = await startBenchNode(chain, temp, ["--hub-connections-per-ip", String(clients + 64)]);
  const wsUrl = chatUrlOf(node.url);

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
  const samples = values.quick ? 5 : 20;
  console.log(`pay → confirmed: ${samples} direct and ${samples} gasless payments in chat`);
  const paid = await payToConfirmed(chain, node.url, samples);

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
  console.log();
  console.log("| /pay → receiver sees it confirmed | p50 | p90 | max | target |");
  console.log("| --- | ---: | ---: | ---: | --- |");
  for (const [kind, times] of Object.entries(paid)) {
    console.log(
      `| ${kind} (${times.length}) | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 90).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | ≤ ${TARGETS.payToConfirmedMs} ms |`,
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
