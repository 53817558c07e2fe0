// What every browser test checks of a screen besides its own behaviour: nothing scrolls sideways, and
// axe-core finds no serious or critical accessibility violation.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** One axe-core violation: its rule, its impact and the elements it found. */
export interface AxeViolation {
  id: string;
  impact: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * The serious and critical axe-core violations of the page as it is now. axe is evaluated through the
 * debugging protocol: the app's CSP (rightly) allows no injected script tag.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Found = { id: string; impact: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Found[] }> } }).axe;
    const { violations } = await axe.run();
    return violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** How many pixels the page is wider than its viewport (without its scroll bar): 0 when nothing scrolls sideways. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
