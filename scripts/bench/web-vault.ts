// The key vault's benchmark in Chromium (Debian's /usr/bin/chromium through playwright-core): the page
// (./web-vault-page.ts) is bundled by Vite's build API and served to the browser from memory on a
// loopback origin. It measures, p50 (and min–max) of 5 runs after one not counted:
//   1. the KDF alone: PBKDF2-SHA256 at 600,000 rounds (WebCrypto), scrypt N = 2^17, r = 8, p = 1 and
//      N = 2^15 (@noble/hashes, JavaScript);
//   2. unlock of a vault of two accounts in IndexedDB (one KDF, two AES-GCM opens, two viem accounts);
//   3. adding an account to that vault (the password checked by a KDF, a BIP-32 derivation, seal, write);
// and the JavaScript the page loads before any keystore import, gzipped (ethers stays in a lazy chunk).
// Prints a table and the machine it ran on; `docs/BENCHMARKS.md` ("Web: key vault") keeps the figures.
// `npm run bench:web` calls `measureVault` (./web.ts); `node scripts/bench/web-vault.ts` runs it alone.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, chromium } from "playwright-core";
import { build } from "vite";
import type { VaultBenchPage } from "./web-vault-page.ts";

declare const bench: VaultBenchPage;

const RUNS = 5;
const ORIGIN = "http://127.0.0.1:9";
const MNEMONIC = "test test test test test test test test test test test junk";

export interface VaultRow {
  label: string;
  p50: number;
  min: number;
  max: number;
}

/** The vault's figures in `browser`: the KDFs, an unlock and an add; and the vault page's first-load JavaScript. */
export async function measureVault(browser: Browser): Promise<{ rows: VaultRow[]; firstLoadGzip: number }> {
  const outDir = await mkdtemp(join(tmpdir(), "gram-bench-vault-"));
  try {
    await build({
      configFile: false,
      logLevel: "warn",
      build: {
        outDir,
        emptyOutDir: false,
        minify: true,
        target: "es2023",
        lib: { entry: join(import.meta.dirname, "web-vault-page.ts"), formats: ["es"], fileName: "entry" },
      },
    });
    const files = new Map<string, Buffer>();
    for (const name of await readdir(outDir)) files.set(`/${name}`, await readFile(join(outDir, name)));
    const context = await browser.newContext();
    const loaded: string[] = [];
    await context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === "/") {
        return route.fulfill({
          contentType: "text/html",
          body: '<!doctype html><meta charset="utf-8"><script type="module" src="/entry.js"></script>',
        });
      }
      const body = files.get(path);
      if (body === undefined) return route.fulfill({ status: 404 });
      loaded.push(path);
      return route.fulfill({ contentType: "text/javascript", body });
    });
    const page = await context.newPage();
    await page.goto(ORIGIN);
    await page.waitForFunction(() => "bench" in window);
    const firstLoad = loaded.reduce((sum, path) => sum + gzipSync(files.get(path) as Buffer).length, 0);

    const series = async (label: string, run: () => Promise<number>) => {
      await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await run());
      times.sort((a, b) => a - b);
      return {
        label,
        p50: times[Math.floor(RUNS / 2)] as number,
        min: times[0] as number,
        max: times.at(-1) as number,
      };
    };
    const kdf = (name: "pbkdf2-sha256" | "scrypt", N?: number) =>
      page.evaluate(
        async ({ name, N }) => {
          const params = { ...bench.newVaultKdf(name), ...(N === undefined ? {} : { N }) };
          const start = performance.now();
          await bench.deriveVaultKey("a password of some length", params as ReturnType<typeof bench.newVaultKdf>);
          return performance.now() - start;
        },
        { name, N },
      );

    const rows = [
      await series("KDF: PBKDF2-SHA256, 600,000 rounds (WebCrypto)", () => kdf("pbkdf2-sha256")),
      await series("KDF: scrypt N=2^17 r=8 p=1, 128 MiB (@noble/hashes)", () => kdf("scrypt")),
      await series("KDF: scrypt N=2^15 r=8 p=1, 32 MiB (@noble/hashes)", () => kdf("scrypt", 2 ** 15)),
    ];
    await page.evaluate(async (mnemonic) => {
      const store = bench.createKeyVaultStore({ name: "bench-unlock" });
      await bench.addAccount(store, { password: "pw", source: { type: "mnemonic", mnemonic } });
      await bench.addAccount(store, { password: "pw", source: { type: "mnemonic", mnemonic, index: 1 } });
    }, MNEMONIC);
    rows.push(
      await series("unlock: 2 accounts from IndexedDB (PBKDF2 default)", () =>
        page.evaluate(async () => {
          const store = bench.createKeyVaultStore({ name: "bench-unlock" });
          const start = performance.now();
          const session = await bench.unlockVault(store, { password: "pw" });
          const took = performance.now() - start;
          session.lock();
          await store.close();
          return took;
        }),
      ),
    );
    let index = 2;
    rows.push(
      await series("add an account from the phrase to that vault", () =>
        page.evaluate(
          async ({ mnemonic, index }) => {
            const store = bench.createKeyVaultStore({ name: "bench-unlock" });
            const start = performance.now();
            await bench.addAccount(store, { password: "pw", source: { type: "mnemonic", mnemonic, index } });
            const took = performance.now() - start;
            await store.close();
            return took;
          },
          { mnemonic: MNEMONIC, index: index++ },
        ),
      ),
    );
    await context.close();
    return { rows, firstLoadGzip: firstLoad };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The figures as a Markdown table (docs/BENCHMARKS.md, "Web: key vault"). */
export function vaultTable({ rows, firstLoadGzip }: { rows: VaultRow[]; firstLoadGzip: number }): string {
  return [
    `| measure (${RUNS} runs) | p50 | min – max |`,
    "| --- | ---: | ---: |",
    ...rows.map(
      ({ label, p50, min, max }) => `| ${label} | ${p50.toFixed(0)} ms | ${min.toFixed(0)} – ${max.toFixed(0)} ms |`,
    ),
    `| JavaScript of the vault page before any keystore import, gzipped | ${(firstLoadGzip / 1024).toFixed(1)} KB | |`,
  ].join("\n");
}

if (import.meta.main) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  try {
    const figures = await measureVault(browser);
    console.log(
      `Key vault in Chromium ${browser.version()}; ${cpus()[0]?.model ?? "?"} × ${cpus().length}; ${new Date().toISOString()}`,
    );
    console.log(vaultTable(figures));
  } finally {
    await browser.close();
  }
}
