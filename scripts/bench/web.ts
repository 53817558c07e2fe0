// `npm run bench:web`: the web app in Chromium (Debian's /usr/bin/chromium through playwright-core), served
// by the real `bin/gram-node` on Hardhat's chain with the contracts deployed. Measures:
//   1. JavaScript shipped on first load: every script the first load fetches, as sent (the node gzips) and
//      as gzip -9 of its bytes, against the 250 KB budget;
//   2. navigation → first screen rendered (the app's `gram:first-screen` mark, set right after Preact's
//      first render), and → first contentful paint, cold (a fresh profile: no HTTP or service-worker
//      cache) and warm (a reload); medians of --runs (10);
//   3. unlock (./web-unlock.ts): the KDF as the app runs it, and after the KDF → the chat list rendered
//      (target ≤ 300 ms); medians of --runs;
//   4. the key vault's own figures (./web-vault.ts): each KDF alone, an unlock and an add, in a bare page.
//   5. the chat (scripts/bench/web-chat.ts): message received → rendered (3 × --runs messages) and payment
//      made → shown confirmed on the receiver's screen (--runs payments), p50.
// A missed target is reported, not an error.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { type Browser, chromium } from "playwright-core";
import { buildWeb } from "../lib/build-web.ts";
import { killAll } from "../lib/spawn-gram-node.ts";
import { describeMachine, percentile } from "./report.ts";
import { startBenchNode, startWalletBenchChain } from "./wallet-setup.ts";
import { benchChat, CHAT_BENCH_DEMO, chatReport } from "./web-chat.ts";
import { measureUnlock } from "./web-unlock.ts";
import { measureVault, vaultTable } from "./web-vault.ts";

const CHROMIUM = "/usr/bin/chromium";
const BUDGET_KB = 250;
const UNLOCK_TARGET_MS = 300;

const { values } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench:web: --runs: got '${values.runs}', expected a positive integer`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`bench:web: ${CHROMIUM} is missing; install Debian's package: apt-get install -y chromium`);
  process.exit(2);
}

const machine = describeMachine();
const temp = await mkdtemp(join(tmpdir(), "gram-bench-web-"));
let browser: Browser | undefined;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  killAll();
  await rm(temp, { recursive: true, force: true });
};
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

try {
  const web = await buildWeb();
  const chain = await startWalletBenchChain(temp);
  const node = await startBenchNode(chain, temp, ["--web-dir", web.dir, "--web-demo-accounts", CHAT_BENCH_DEMO]);
  const appUrl = `${node.url}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });

  // 1. What the first load ships.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const scripts: { url: string; wire: Promise<number>; body: Promise<Buffer> }[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    scripts.push({
      url: new URL(response.url()).pathname,
      wire: response
        .request()
        .sizes()
        .then((sizes) => sizes.responseBodySize),
      body: response.body(),
    });
  });
  await page.goto(appUrl, { waitUntil: "networkidle" });
  const shipped = await Promise.all(
    scripts.map(async (script) => {
      const body = await script.body;
      return { url: script.url, raw: body.length, wire: await script.wire, gzip: gzipSync(body, { level: 9 }).length };
    }),
  );
  await context.close();

  // 2. Navigation → first screen, cold and warm.
  const timings = { cold: [] as number[], coldPaint: [] as number[], warm: [] as number[], warmPaint: [] as number[] };
  const read = (p: import("playwright-core").Page) =>
    p.evaluate(async () => {
      while (performance.getEntriesByName("gram:first-screen").length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // The first contentful paint is recorded a frame later.
      while (performance.getEntriesByName("first-contentful-paint").length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return {
        screen: performance.getEntriesByName("gram:first-screen")[0]?.startTime ?? Number.NaN,
        paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
      };
    });
  for (let i = 0; i < runs; i++) {
    const fresh = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await fresh.newPage();
    await p.goto(appUrl);
    const cold = await read(p);
    timings.cold.push(cold.screen);
    timings.coldPaint.push(cold.paint);
    await p.waitForLoadState("networkidle");
    await p.reload();
    const warm = await read(p);
    timings.warm.push(warm.screen);
    timings.warmPaint.push(warm.paint);
    await fresh.close();
  }

  // 3. Unlock → chat list, and 4. the vault's figures.
  const unlock = await measureUnlock({ browser, appUrl, runs });
  const vault = await measureVault(browser);
  // 5. Chat: message received → rendered, payment made → shown confirmed (scripts/bench/web-chat.ts).
  const chat = await benchChat({ browser, appUrl, nodeUrl: node.url, chain, messages: runs * 3, payments: runs });

  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const total = (key: "raw" | "wire" | "gzip") => shipped.reduce((sum, script) => sum + script[key], 0);
  const ms = (values: number[]) => `${percentile(values, 50).toFixed(0)} ms`;
  console.log(
    `bench:web: ${machine.date}, ${machine.cpus} × ${machine.model}, ${machine.memory}, Node ${machine.node}, load ${machine.load}; Chromium ${browser.version()}; ${runs} runs`,
  );
  console.log("");
  console.log("JavaScript on first load:");
  for (const script of shipped) {
    console.log(
      `  ${script.url.padEnd(36)} ${kb(script.raw).padStart(7)} KB raw  ${kb(script.wire).padStart(6)} KB sent  ${kb(script.gzip).padStart(6)} KB gzip -9`,
    );
  }
  const gzipTotal = total("gzip");
  const verdict = gzipTotal <= BUDGET_KB * 1024 ? "within" : "OVER";
  console.log(
    `  total: ${kb(total("raw"))} KB raw, ${kb(total("wire"))} KB sent, ${kb(gzipTotal)} KB gzipped (${verdict} the ${BUDGET_KB} KB budget)`,
  );
  console.log("");
  console.log("Navigation → first screen rendered (median):");
  console.log(`  cold (no cache):   ${ms(timings.cold)}  (first contentful paint ${ms(timings.coldPaint)})`);
  console.log(`  warm (reload):     ${ms(timings.warm)}  (first contentful paint ${ms(timings.warmPaint)})`);
  console.log("");
  const afterKdf = percentile(unlock.afterKdf, 50);
  console.log(`Unlock (median of ${runs}; rendered = the ${unlock.rendered}):`);
  console.log(`  KDF (PBKDF2-SHA256 600,000 rounds, and the records' AES-GCM open): ${ms(unlock.kdf)}`);
  console.log(
    `  after the KDF → rendered: ${afterKdf.toFixed(0)} ms (${afterKdf <= UNLOCK_TARGET_MS ? "within" : "OVER"} the ${UNLOCK_TARGET_MS} ms target; max ${Math.max(...unlock.afterKdf).toFixed(0)} ms)`,
  );
  console.log("");
  console.log("Key vault in a bare page (scripts/bench/web-vault.ts):");
  console.log(vaultTable(vault));
  for (const line of chatReport(chat)) console.log(line);
} finally {
  await cleanup();
}
