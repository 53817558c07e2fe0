// Modules of the tree run in a real page: Vite's build API bundles small test entries for the browser into a
// temporary folder, and a static server on 127.0.0.1 (a secure context: WebCrypto, Web Locks, IndexedDB)
// serves them with a page that loads them. Tests then drive the page with playwright's `page.evaluate`.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build, type Rollup } from "vite";
import { ROOT } from "./module-reach.ts";

export interface BrowserBundle {
  /** The folder of the bundle: `<name>.js` per entry, shared chunks beside them. */
  dir: string;
  /** The chunks as the bundler wrote them (`isEntry`, `imports`, `dynamicImports`, `moduleIds`). */
  chunks: Rollup.OutputChunk[];
  /** What the bundler warned about, as `<code>: <message>`. */
  warnings: string[];
}

/**
 * Bundles `entries` (name → path from the repository's root) for browsers, unminified, into a temp folder.
 *
 * @example
 * const bundle = await bundleForBrowser({ stores: "test/web/storage/stores-entry.ts" });
 */
export async function bundleForBrowser(entries: Record<string, string>): Promise<BrowserBundle> {
  const dir = await mkdtemp(join(tmpdir(), "gram-bundle-"));
  const warnings: string[] = [];
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: "silent",
    build: {
      outDir: dir,
      emptyOutDir: false,
      write: true,
      minify: false,
      target: "es2022",
      modulePreload: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(ROOT, path)])),
        output: { entryFileNames: "[name].js", chunkFileNames: "chunks/[name]-[hash].js" },
        onwarn: (warning) => void warnings.push(`${warning.code ?? "WARNING"}: ${warning.message}`),
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  const chunks = outputs
    .flatMap((o) => ("output" in o ? o.output : []))
    .filter((item): item is Rollup.OutputChunk => item.type === "chunk");
  return { dir, chunks, warnings };
}

/** The chunks an entry loads before it runs: itself and what it imports statically, not what it imports lazily. */
export function staticChunks(bundle: BrowserBundle, entry: string): Rollup.OutputChunk[] {
  const byName = new Map(bundle.chunks.map((chunk) => [chunk.fileName, chunk]));
  const seen = new Map<string, Rollup.OutputChunk>();
  const visit = (fileName: string) => {
    const chunk = byName.get(fileName);
    if (chunk === undefined || seen.has(fileName)) return;
    seen.set(fileName, chunk);
    for (const imported of chunk.imports) visit(imported);
  };
  visit(`${entry}.js`);
  return [...seen.values()];
}

export interface ServedBundle {
  /** `http://127.0.0.1:<port>/`: a page that loads every entry as a module; `?entry=<name>` loads one. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".map": "application/json" };

/** What the page is served with, as the app is: no inline script, nothing from another origin. */
export const TEST_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'";

/**
 * Serves `bundle` on 127.0.0.1 with a page at `/` that imports the entries named in `entries`.
 *
 * @example
 * const served = await serveBundle(bundle, ["stores"]);
 * await page.goto(served.url);
 */
export async function serveBundle(bundle: BrowserBundle, entries: string[]): Promise<ServedBundle> {
  const page = `<!doctype html><meta charset="utf-8"><title>gram test</title>${entries
    .map((name) => `<script type="module" src="/${name}.js"></script>`)
    .join("")}`;
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    response.setHeader("content-security-policy", TEST_CSP);
    if (path === "/") {
      response.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-store" }).end(page);
      return;
    }
    const file = normalize(join(bundle.dir, path));
    if (!file.startsWith(bundle.dir)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(bundle.dir, { recursive: true, force: true });
    },
  };
}
