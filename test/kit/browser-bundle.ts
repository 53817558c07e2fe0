// Serves a test's own entry module to the test browser: Vite's build API bundles it (with the wallet
// library it imports) into a temp folder, and a loopback server serves it under a strict CSP, as the app
// will be. For library tests that need a real page (IndexedDB, WebCrypto) before the app exists.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build } from "vite";

export interface BrowserBundle {
  /** `http://127.0.0.1:<port>`: `/` is a page that loads the entry. */
  origin: string;
  close(): Promise<void>;
}

/** What the page is served with: no inline script, nothing from another origin. */
export const TEST_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";

const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".map": "application/json" };

/**
 * Bundles `entry` (an absolute path to a module; its dynamic imports become chunks) and serves it.
 *
 * @example
 * const bundle = await serveBrowserBundle({ entry: join(import.meta.dirname, "vault-page.ts") });
 * await page.goto(bundle.origin);
 */
export async function serveBrowserBundle({ entry }: { entry: string }): Promise<BrowserBundle> {
  const outDir = await mkdtemp(join(tmpdir(), "gram-bundle-"));
  await build({
    configFile: false,
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: false,
      minify: false,
      target: "es2023",
      lib: { entry, formats: ["es"], fileName: "entry" },
    },
  });
  const page = `<!doctype html><meta charset="utf-8"><title>gram test</title><script type="module" src="/entry.js"></script>`;
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    response.setHeader("content-security-policy", TEST_CSP);
    if (path === "/") return response.writeHead(200, { "content-type": "text/html" }).end(page);
    const file = normalize(join(outDir, path));
    if (!file.startsWith(outDir)) return response.writeHead(404).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((closed) => server.close(closed));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
