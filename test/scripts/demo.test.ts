// `npm run demo` as a user runs it: `node scripts/demo.ts` as a child process, first on a stack of its own
// (free loopback ports, a temporary folder), then against a running `npm start` stack (chosen by --node
// alone). The final balances are computed here from the story's amounts and the escrow's terms; the check
// the demo relies on is shown to fail, naming the row, on a balance that differs from its books; and an
// interrupt while its stack starts is shown to stop that stack at once.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createPublicClient, formatUnits, http, parseUnits } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { loadDeployment } from "../../protocol/deployments.ts";
import { parseOptions } from "../../scripts/demo.ts";
import type { Cast } from "../../scripts/lib/demo-cast.ts";
import {
  BalanceMismatchError,
  checkBalances,
  compareBalances,
  type Observer,
  readChain,
} from "../../scripts/lib/demo-check.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../../scripts/lib/demo-stack.ts";
import { STORY, storySteps } from "../../scripts/lib/demo-story.ts";
import { DEMO_PASSWORD, hardhatKey } from "../../scripts/lib/demo-wallet.ts";
import { readContacts } from "../../wallet/contacts/contacts-store.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const GRAM = (text: string) => parseUnits(text, 9);
const TOKEN = { symbol: "GRAM", decimals: 9 };

const demos: ChildProcess[] = [];
// A demo that outlives its test (a failure, a timeout) is stopped as a user would, then killed: its stack,
// started with GRAM_PARENT_PID, stops by itself once the demo is gone.
afterEach(async () => {
  for (const child of demos.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
}, 30_000);

/** `node scripts/demo.ts args…` with none of the caller's GRAM_* settings, only `env`'s. */
function spawnDemo(args: string[], env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GRAM_")));
  const child = spawn(process.execPath, [join(ROOT, "scripts/demo.ts"), ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demos.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; output: string }>((done) =>
    child.on("exit", (code) => done({ code, output })),
  );
  return { child, exited };
}

/** Resolves when the demo exits. */
function runDemo(args: string[], env: Record<string, string> = {}) {
  return spawnDemo(args, env).exited;
}

/** The first group of `pattern` in the output; a test that needs it fails here, not vacuously later. */
function found(pattern: RegExp, output: string): string {
  const match = pattern.exec(output)?.[1];
  expect(match, `${pattern} in the output`).toBeDefined();
  return match as string;
}

/** A process's state letter and parent from Linux's /proc; undefined once it is gone. */
async function processStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // "pid (command) state ppid …": the command may hold spaces and parentheses.
  const [state, ppid] = stat?.slice(stat.lastIndexOf(")") + 2).split(" ") ?? [];
  return state === undefined ? undefined : { state, ppid: Number(ppid) };
}

async function alive(pid: number): Promise<boolean> {
  const stat = await processStat(pid);
  return stat !== undefined && stat.state !== "Z";
}

/** The pid of the `start.ts` the demo `pid` spawned, once it has spawned it (its handlers are set by then). */
async function stackOf(pid: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const name of await readdir("/proc")) {
      if (!/^\d+$/.test(name) || (await processStat(Number(name)))?.ppid !== pid) continue;
      const command = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
      if (command.includes("scripts/start.ts")) return Number(name);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the demo ${pid} started no scripts/start.ts within 10 s`);
}

/** The stack folders (gram-demo-*) left in `dir`. */
async function stackFolders(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith("gram-demo-"));
}

/** The node's API behind a reverse proxy at `prefix`, as a --node with a path reaches it. */
async function behindPrefix(node: string, prefix: string) {
  const server = createServer(async (request, response) => {
    const path = request.url ?? "";
    if (!path.startsWith(`${prefix}/`)) {
      response.writeHead(404).end();
      return;
    }
    const upstream = await fetch(new URL(path.slice(prefix.length), node));
    response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => server.close() };
}

/** The rows of the transcript's "Final balances" table, label → amount in GRAM. */
function finalBalances(output: string): Record<string, string> {
  const table = output.split("Final balances")[1] ?? "";
  return Object.fromEntries([...table.matchAll(/^ {4}(\S.*?)\s{2,}(\d+(?:\.\d+)?) GRAM/gm)].map((m) => [m[1], m[2]]));
}

/**
 * The balances the story leaves, from its amounts alone: start.ts funds each demo account with 1000 GRAM
 * and deploys the escrow with the default withdrawal fee (50 bps); the treasury starts with nothing.
 */
function expectedFinal() {
  const start = GRAM("1000");
  const { chatPayment, gasless, request, pizza, disputed } = STORY;
  const bps = (amount: bigint, rate: number | bigint) => (amount * BigInt(rate)) / 10_000n;
  const captured = GRAM(pizza.capture);
  const ruledForMerchant = GRAM(disputed.amount) - GRAM(disputed.toPayer);
  const escrow =
    captured -
    bps(captured, pizza.cashbackBps) -
    GRAM(pizza.refund) +
    ruledForMerchant -
    bps(ruledForMerchant, disputed.cashbackBps);
  const fee = bps(escrow, 50);
  const alice =
    start -
    GRAM(chatPayment.amount) +
    GRAM(gasless.amount) -
    GRAM(request.amount) -
    GRAM(pizza.amount) -
    GRAM(pizza.tip) +
    bps(captured, pizza.cashbackBps) +
    (GRAM(pizza.amount) - captured) +
    GRAM(pizza.refund) -
    GRAM(disputed.amount) +
    GRAM(disputed.toPayer) +
    bps(ruledForMerchant, disputed.cashbackBps);
  const rows = {
    alice,
    bob: start + GRAM(chatPayment.amount) - GRAM(gasless.amount) + GRAM(request.amount),
    "merchant (wallet)": start + GRAM(pizza.tip) + escrow - fee,
    "merchant (escrow balance)": 0n,
    "held in escrow (demo orders)": 0n,
    arbiter: start,
    treasury: fee,
    "fees not yet collected": 0n,
  };
  return Object.fromEntries(Object.entries(rows).map(([row, units]) => [row, formatUnits(units, 9)]));
}

/** Hardhat's keys #0–#5: the deployer, the demo accounts and the relayer. None may ever be printed. */
const KEYS = Array.from({ length: 6 }, (_, i) => hardhatKey(i).privateKey.slice(2).toLowerCase());

/** What `npm start` tells users to paste into every terminal, and a node setting that would break a stack. */
const PASTED_ENV = {
  GRAM_NODE: "http://127.0.0.1:1",
  GRAM_RPC: "http://127.0.0.1:1",
  GRAM_HOME: "/no/such/home",
  GRAM_DEPLOYMENTS_DIR: "/no/such/deployments",
  GRAM_PASSWORD: "not the demo wallet's",
  GRAM_MAX_LOG_RANGE: "0",
};

describe("npm run demo on a stack of its own", () => {
  it("plays the whole story on its own stack whatever GRAM_* says, checks every step on the chain and the node, ends with the story's balances, and stops its stack", async () => {
    // The demo's stack lives under TMPDIR: this one, to see that it is gone afterwards.
    const scratch = await mkdtemp(join(tmpdir(), "gram-demo-test-"));
    try {
      // Neither chosen by the pasted environment, nor handed it: its node would refuse GRAM_MAX_LOG_RANGE=0.
      const run = await runDemo([], { TMPDIR: scratch, ...PASTED_ENV });
      expect(run.code, run.output).toBe(0);
      expect(run.output.match(/✓ the chain and the node agree with the story at block \d+/g)).toHaveLength(12);
      expect(run.output).toContain("bob's chat shows alice's payment received: confirmed by the chain");
      expect(run.output).toContain("alice's chat shows bob's gasless payment received: confirmed by the chain");
      expect(run.output).toContain("bob paid no gas");
      expect(finalBalances(run.output)).toEqual(expectedFinal());
      expect(run.output).toMatch(/demo: every balance matched the chain and the node after each of the 12 steps/);
      expect(KEYS.filter((key) => run.output.toLowerCase().includes(key))).toEqual([]);

      const rpc = found(/RPC (http:\/\/127\.0\.0\.1:\d+)/, run.output);
      const node = found(/node (http:\/\/127\.0\.0\.1:\d+)/, run.output);
      expect([rpc, node]).not.toContain(PASTED_ENV.GRAM_NODE);
      await expect(fetch(rpc, { method: "POST" })).rejects.toThrow();
      await expect(fetch(`${node}/healthz`)).rejects.toThrow();
      // Node may keep its compile cache there too; the stack's folder is what must be gone.
      expect(await stackFolders(scratch)).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    // Above the demo's 90 s for its stack to be ready plus the story's play, so that the demo fails first.
  }, 180_000);

  it.each(["SIGINT", "SIGHUP"] as const)(
    "%s while its stack starts stops that stack at once: exit 130, start.ts gone, its folder removed",
    async (signal) => {
      const scratch = await mkdtemp(join(tmpdir(), "gram-demo-test-"));
      try {
        const demo = spawnDemo([], { TMPDIR: scratch });
        const stack = await stackOf(demo.child.pid as number);
        demo.child.kill(signal);
        const run = await demo.exited;
        expect(run.code, run.output).toBe(130);
        expect(run.output).toContain(`demo: ${signal}: stopped before the story ended`);
        expect(run.output).not.toContain("Gram demo on chain");
        expect(await alive(stack)).toBe(false);
        expect(await stackFolders(scratch)).toEqual([]);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    30_000,
  );

  it("a second Ctrl-C exits 130 at once, killing a stack that does not stop", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "gram-demo-test-"));
    try {
      const demo = spawnDemo([], { TMPDIR: scratch });
      const stack = await stackOf(demo.child.pid as number);
      // A stack that ignores the first Ctrl-C: the demo would wait 15 s for it before killing it.
      process.kill(stack, "SIGSTOP");
      demo.child.kill("SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const began = Date.now();
      demo.child.kill("SIGINT");
      const run = await demo.exited;
      expect(run.code, run.output).toBe(130);
      expect(Date.now() - began).toBeLessThan(5_000);
      expect(await alive(stack)).toBe(false);
      expect(await stackFolders(scratch)).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 30_000);

  it.each([
    [
      "a node that is no URL",
      ["--node", "foo", "--rpc", "http://127.0.0.1:1"],
      "--node: got 'foo', expected an http(s) URL",
    ],
    [
      "an RPC that is not http(s)",
      ["--node", "http://127.0.0.1:1", "--rpc", "ftp://x"],
      "--rpc: got 'ftp://x', expected an http(s) URL",
    ],
    [
      "a running stack without its RPC",
      ["--node", "http://127.0.0.1:1"],
      "--rpc: missing; expected the chain's http(s) URL",
    ],
    ["--rpc without --node", ["--rpc", "http://127.0.0.1:1"], "--rpc: only with --node"],
    [
      "a home that does not exist",
      ["--node", "http://127.0.0.1:1", "--rpc", "http://127.0.0.1:1", "--home", "/no/such/home"],
      "--home: got '/no/such/home', expected a folder that exists",
    ],
  ])(
    "refuses %s: exit 1 and what was expected",
    async (_name, args, message) => {
      const run = await runDemo(args);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`demo: ${message}`);
    },
    20_000,
  );
});

describe("the demo's options", () => {
  it("never plays on a running stack for GRAM_NODE or the rest of `npm start`'s environment", () => {
    expect(parseOptions([], PASTED_ENV)).toEqual({ help: false, endpoints: undefined, password: DEMO_PASSWORD });
  });

  it("plays on one for --node, the environment filling in what no flag gives", () => {
    const env = { ...PASTED_ENV, GRAM_RPC: "http://127.0.0.1:8545", GRAM_DEPLOYMENTS_DIR: "records" };
    expect(parseOptions(["--node", "http://127.0.0.1:8787/gram", "--home", "wallet"], env)).toEqual({
      help: false,
      endpoints: {
        node: "http://127.0.0.1:8787/gram",
        rpc: "http://127.0.0.1:8545",
        home: "wallet",
        deployments: "records",
      },
      password: PASTED_ENV.GRAM_PASSWORD,
    });
  });
});

describe("npm run demo against a running stack", () => {
  let stack: EmbeddedStack;
  let observer: Observer;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ readyTimeoutMs: 60_000 });
    const { rpc, home, deployments, node } = stack.endpoints;
    const publicClient = createPublicClient({ transport: http(rpc) });
    const deployment = await loadDeployment(await publicClient.getChainId(), deployments);
    const escrow = deployment.contracts.MerchantEscrow.address;
    const contacts = await readContacts(home);
    const treasury = await publicClient.readContract({
      address: escrow,
      abi: merchantEscrowAbi,
      functionName: "treasury",
    });
    observer = {
      publicClient,
      node,
      token: deployment.contracts.GramToken.address,
      escrow,
      accounts: {
        alice: contacts.alice as `0x${string}`,
        bob: contacts.bob as `0x${string}`,
        merchant: contacts.merchant as `0x${string}`,
        arbiter: contacts.arbiter as `0x${string}`,
        treasury,
      },
      invoices: [],
      indexTimeoutMs: 10_000,
    };
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const flags = () => [
    "--node",
    stack.endpoints.node,
    "--rpc",
    stack.endpoints.rpc,
    "--home",
    stack.endpoints.home,
    "--deployments",
    stack.endpoints.deployments,
  ];

  it("plays twice, each time checking the changes from the balances it finds", async () => {
    const first = await runDemo(flags());
    expect(first.code, first.output).toBe(0);
    expect(finalBalances(first.output)).toEqual(expectedFinal());
    // The second run starts where the first ended, and moves the same amounts again.
    const second = await runDemo(flags());
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(
      new RegExp(`Balances at the start[^\\n]*\\n {4}alice\\s+${expectedFinal().alice} GRAM`),
    );
    expect(second.output).toContain("demo: every balance matched the chain and the node after each of the 12 steps");
  }, 120_000);

  it("passes the chain's own balances, also from a node behind a path prefix, and reports a balance one base unit off with its row, expected, chain and node", async () => {
    const { block, balances } = await readChain(observer);
    await expect(checkBalances(observer, balances, { what: "nothing", token: TOKEN })).resolves.toEqual({ block });
    const proxy = await behindPrefix(observer.node, "/gram");
    try {
      const proxied = { ...observer, node: proxy.url };
      await expect(checkBalances(proxied, balances, { what: "nothing", token: TOKEN })).resolves.toEqual({ block });
    } finally {
      proxy.close();
    }

    const wrong = { ...balances, bob: balances.bob + 1n };
    const failed = await checkBalances(observer, wrong, { what: "a wrong book", token: TOKEN }).catch((error) => error);
    expect(failed).toBeInstanceOf(BalanceMismatchError);
    expect((failed as BalanceMismatchError).mismatches).toEqual([
      { row: "bob", expected: balances.bob + 1n, chain: balances.bob, node: balances.bob },
    ]);
    const [expected, found] = [formatUnits(balances.bob + 1n, 9), formatUnits(balances.bob, 9)];
    expect((failed as Error).message).toMatch(/^balances differ from the story after a wrong book \(block \d+, /);
    expect((failed as Error).message).toContain(
      `\n    ${"bob".padEnd(30)}${expected.padStart(20)}${found.padStart(20)}${found.padStart(20)}`,
    );
  }, 30_000);

  it("takes the rest from the environment with --node; exits 1 with the chain it could not reach, and leaves the stack alone", async () => {
    const run = await runDemo(["--node", stack.endpoints.node], {
      GRAM_RPC: "http://127.0.0.1:1",
      GRAM_HOME: stack.endpoints.home,
      GRAM_DEPLOYMENTS_DIR: stack.endpoints.deployments,
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain("demo: could not reach the chain at http://127.0.0.1:1");
    expect((await fetch(`${stack.endpoints.node}/healthz`)).status).toBe(200);
  }, 30_000);
});

describe("the demo's comparison", () => {
  const books = {
    alice: GRAM("976.86"),
    bob: GRAM("1006"),
    merchant: GRAM("1017.0593"),
    escrow: 0n,
    held: 0n,
    arbiter: GRAM("1000"),
    treasury: GRAM("0.0807"),
    fees: 0n,
  };
  const { fees: _chainOnly, ...served } = books;

  it("finds nothing when the chain and the node both agree with the books", () => {
    expect(compareBalances(books, books, served)).toEqual([]);
  });

  it("names a row the node disagrees on, or does not know, even when the chain agrees", () => {
    expect(compareBalances(books, books, { ...served, treasury: 0n, held: undefined })).toEqual([
      { row: "held", expected: 0n, chain: 0n, node: undefined },
      { row: "treasury", expected: GRAM("0.0807"), chain: GRAM("0.0807"), node: 0n },
    ]);
  });

  it("checks the escrow's uncollected fees on the chain alone (the node has no route for them)", () => {
    expect(compareBalances(books, { ...books, fees: 1n }, served)).toEqual([
      { row: "fees", expected: 0n, chain: 1n, node: undefined },
    ]);
  });
});

describe("the demo's story", () => {
  it("skips collectFees, saying why, when the escrow holds no fees (a stub cast: sending anything would throw)", async () => {
    const said: string[] = [];
    const cast = { token: { symbol: "GRAM", decimals: 9 }, withdrawFeeBps: 0n } as unknown as Cast;
    const steps = storySteps({
      cast,
      observer: {} as Observer,
      node: "http://127.0.0.1:1",
      say: (line) => said.push(line),
      timeoutMs: 1_000,
    });
    const collect = steps.at(-1);
    expect(collect?.title).toMatch(/^7b\. the fees go to the treasury/);
    const books = { alice: 1n, bob: 1n, merchant: 1n, escrow: 0n, held: 0n, arbiter: 1n, treasury: 0n, fees: 0n };
    await expect(collect?.run(books)).resolves.toEqual({});
    expect(said).toEqual(["nothing to collect: the escrow holds no fees (withdrawal fee 0 bps); skipped"]);
  });
});
