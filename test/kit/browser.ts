// The browser of the web tests: Debian's `chromium` package driven by playwright-core (never a downloaded
// browser; `.ci/run` installs the package when it is missing). One browser per test file; a context per
// person (alice, bob), each with its own storage, as two windows of two people would be.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian's package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Starts headless Chromium. Fails with the command that installs it when the package is missing.
 *
 * @example
 * const browser = await launchBrowser();
 * const alice = await browser.newContext();
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing; install Debian's package: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}
