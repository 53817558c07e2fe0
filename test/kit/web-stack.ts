// The web app's whole stack for the browser tests: the node's test chain (contracts deployed, holders and
// merchants funded: ./chain.ts), the web app built (scripts/lib/build-web.ts, skipped when up to date), a
// real `gram-node` child serving it (scripts/lib/spawn-gram-node.ts), and Debian's Chromium (./browser.ts).
// One per test file, in `beforeAll`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildWeb } from "../../scripts/lib/build-web.ts";
import { type NodeProcess, startGramNode } from "../../scripts/lib/spawn-gram-node.ts";
import { privateKeyOf, ROLE } from "./accounts.ts";
import { launchBrowser } from "./browser.ts";
import { startChain, type TestChain } from "./chain.ts";

/** The demo accounts the app offers in one click, as funded on the test chain (./chain.ts). */
export const WEB_DEMO_ACCOUNTS = `alice=${ROLE.payer},bob=${ROLE.other},merchant=${ROLE.merchant}`;

export interface WebStack {
  chain: TestChain;
  node: NodeProcess & { url: string };
  /** The app's URL: the node's, with a trailing slash. */
  appUrl: string;
  /** The built app's folder (web/dist). */
  webDir: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the app, starts the chain, a node serving the app and the browser; `close` stops them all
 * (and whatever had started when the start fails half-way).
 *
 * @example
 * const stack = await startWebStack();
 * const page = await stack.browser.newPage();
 * await page.goto(stack.appUrl);
 */
export async function startWebStack(): Promise<WebStack> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    const { dir: webDir } = await buildWeb();
    const chain = await startChain();
    closers.push(() => chain.close());
    const temp = await mkdtemp(join(tmpdir(), "gram-web-stack-"));
    closers.push(() => rm(temp, { recursive: true, force: true }));
    const node = await startGramNode({
      rpc: chain.url,
      deployments: chain.deployments,
      dir: temp,
      relayerKey: privateKeyOf(ROLE.relayer),
      // biome-ignore format: one flag and its value a line.
      flags: [
        "--web-dir", webDir,
        "--confirmations", "1",
        "--poll-interval-ms", "100",
        "--web-demo-accounts", WEB_DEMO_ACCOUNTS,
      ],
    });
    closers.push(() => node.stop());
    const browser = await launchBrowser();
    closers.push(() => browser.close());
    return { chain, node, appUrl: `${node.url}/`, webDir, browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface PageProblems {
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** Content-Security-Policy violations the page reported (`securitypolicyviolation`). */
  cspViolations: string[];
}

/**
 * Collects what a page complains about from the moment it is given: console errors, uncaught errors and
 * CSP violations (read with `cspViolations(page)` after the page has run).
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], cspViolations: [] };
  page.on("console", (message) => {
    if (message.type() === "error") problems.errors.push(message.text());
  });
  page.on("pageerror", (error) => problems.errors.push(error.message));
  await page.exposeFunction("__gramCspViolation", (text: string) => problems.cspViolations.push(text));
  // Injected by the browser's debugging protocol, which the page's CSP does not govern.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __gramCspViolation(text: string): void }).__gramCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return problems;
}
