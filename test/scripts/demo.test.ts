// `npm run demo` as a user runs it: `node scripts/demo.ts` as a child process, first on a stack of its own
// (free loopback ports, a temporary folder), then against a running `npm start` stack. The final balances
// are computed here from the story's amounts and the escrow's terms; and the check the demo relies on is
// shown to fail, naming the row, on a balance that differs from its books.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createPublicClient, formatUnits, http, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { loadDeployment } from "../../protocol/deployments.ts";
import {
  BalanceMismatchError,
  checkBalances,
  compareBalances,
  type Observer,
  readChain,
} from "../../scripts/lib/demo-check.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../../scripts/lib/demo-stack.ts";
import { STORY } from "../../scripts/lib/demo-story.ts";
import { hardhatKey } from "../../scripts/lib/demo-wallet.ts";
import { readContacts } from "../../wallet/contacts/contactsStore.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const GRAM = (text: string) => parseUnits(text, 9);
const TOKEN = { symbol: "GRAM", decimals: 9 };

/** `node scripts/demo.ts args…` with none of the caller's GRAM_* settings; resolves when it exits. */
function runDemo(args: string[], env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GRAM_")));
  const child = spawn(process.execPath, [join(ROOT, "scripts/demo.ts"), ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise<{ code: number | null; output: string }>((done) =>
    child.on("exit", (code) => done({ code, output })),
  );
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

describe("npm run demo on a stack of its own", () => {
  it("plays the whole story, checks every step on the chain and the node, ends with the story's balances, and stops its stack", async () => {
    // The demo's stack lives under TMPDIR: this one, to see that it is gone afterwards.
    const scratch = await mkdtemp(join(tmpdir(), "gram-demo-test-"));
    try {
      const run = await runDemo([], { TMPDIR: scratch });
      expect(run.code, run.output).toBe(0);
      expect(run.output.match(/✓ the chain and the node agree with the story at block \d+/g)).toHaveLength(12);
      expect(run.output).toContain("bob's chat shows alice's payment received: confirmed by the chain");
      expect(run.output).toContain("alice's chat shows bob's gasless payment received: confirmed by the chain");
      expect(run.output).toContain("bob paid no gas");
      expect(finalBalances(run.output)).toEqual(expectedFinal());
      expect(run.output).toMatch(/demo: every balance matched the chain and the node after each of the 12 steps/);
      expect(KEYS.filter((key) => run.output.toLowerCase().includes(key))).toEqual([]);

      const rpc = /RPC (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output)?.[1] as string;
      const node = /node (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output)?.[1] as string;
      await expect(fetch(rpc, { method: "POST" })).rejects.toThrow();
      await expect(fetch(`${node}/healthz`)).rejects.toThrow();
      // Node may keep its compile cache there too; the stack's folder is what must be gone.
      expect((await readdir(scratch)).filter((name) => name.startsWith("gram-demo-"))).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 90_000);

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
  }, 60_000);

  it("passes the chain's own balances, and reports a balance one base unit off with its row, expected, chain and node", async () => {
    const { balances } = await readChain(observer);
    await expect(checkBalances(observer, balances, { what: "nothing", token: TOKEN })).resolves.toMatchObject({});

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

  it("exits 1 with the chain it could not reach, and leaves the stack alone", async () => {
    const run = await runDemo([
      "--node",
      stack.endpoints.node,
      "--rpc",
      "http://127.0.0.1:1",
      "--home",
      stack.endpoints.home,
      "--deployments",
      stack.endpoints.deployments,
    ]);
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
