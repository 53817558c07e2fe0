// `npm run bench:web`, part "unlock": the real app in Chromium against the bench's gram-node. An account
// is imported once through the Import screen (a fresh private key, a password); then each run reloads the
// tab (it comes back locked), types the password and presses Unlock, and reads the app's marks:
//   - the KDF: `gram:unlock` → `gram:unlocked` (unlockVault: PBKDF2-SHA256 600,000 rounds in WebCrypto,
//     then the record's AES-GCM open and the viem account);
//   - after the KDF → the chat list rendered: `gram:unlocked` → the first frame showing the chat list
//     (`.chat-list-screen`), or, in a build without the chat screens, the signed-in navigation.
import type { Browser, Page } from "playwright-core";
import { generatePrivateKey } from "viem/accounts";

const PASSWORD = "bench passphrase of five words";
/** What "the chat list rendered" is: the chat screen when the build has it, else the signed-in nav. */
const CHAT_LIST = ".chat-list-screen";
const SIGNED_IN = '[data-testid="signed-in-as"]';

export interface UnlockFigures {
  kdf: number[];
  afterKdf: number[];
  /** The element the runs waited for. */
  rendered: "chat list" | "signed-in navigation";
}

/** Imports an account into a fresh profile, then times `runs` unlocks. */
export async function measureUnlock({
  browser,
  appUrl,
  runs,
}: {
  browser: Browser;
  appUrl: string;
  runs: number;
}): Promise<UnlockFigures> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}#/keys/import`);
    await page.getByLabel("Private key", { exact: true }).check();
    await page.getByLabel("Private key (0x and 64 hex digits)").fill(generatePrivateKey());
    await page.getByLabel("A password for this device").fill(PASSWORD);
    await page.getByLabel("Repeat the password").fill(PASSWORD);
    await page.getByRole("button", { name: "Import" }).click();
    await page.locator(SIGNED_IN).waitFor({ timeout: 30_000 });
    const rendered = (await page.locator(CHAT_LIST).count()) > 0 ? "chat list" : "signed-in navigation";
    const figures: UnlockFigures = { kdf: [], afterKdf: [], rendered };
    // One run not counted (the first unlock warms the chunks and the hub connection).
    for (let i = 0; i <= runs; i++) {
      const { kdf, afterKdf } = await unlockOnce(page, rendered === "chat list" ? CHAT_LIST : SIGNED_IN);
      if (i === 0) continue;
      figures.kdf.push(kdf);
      figures.afterKdf.push(afterKdf);
    }
    return figures;
  } finally {
    await context.close();
  }
}

async function unlockOnce(page: Page, selector: string): Promise<{ kdf: number; afterKdf: number }> {
  await page.goto(`${page.url().split("#")[0]}#/`);
  await page.reload();
  await page.getByTestId("unlock-password").fill(PASSWORD);
  // The page watches for the element from before the click: the time is taken at the frame it shows in.
  const shown = page.evaluate(
    (selector) =>
      new Promise<number>((resolve) => {
        const check = () => {
          if (document.querySelector(selector) !== null) {
            requestAnimationFrame(() => resolve(performance.now()));
            return true;
          }
          return false;
        };
        if (check()) return;
        const observer = new MutationObserver(() => {
          if (check()) observer.disconnect();
        });
        observer.observe(document.body, { childList: true, subtree: true });
      }),
    selector,
  );
  await page.getByTestId("unlock").click();
  const at = await shown;
  const marks = await page.evaluate(() => ({
    start: performance.getEntriesByName("gram:unlock").at(-1)?.startTime ?? Number.NaN,
    unlocked: performance.getEntriesByName("gram:unlocked").at(-1)?.startTime ?? Number.NaN,
  }));
  return { kdf: marks.unlocked - marks.start, afterKdf: at - marks.unlocked };
}
