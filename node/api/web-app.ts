// The web app, served by the node at `/`: the files of the built app (web/dist/) read into memory once at
// start, so that a request can only ever get one of them (a path is looked up, never joined to a folder:
// no traversal), each with its headers. Vite's content-hashed assets (`/assets/…`) are cached for a year
// as immutable; everything else (index.html, the service worker, the manifest, `/web-config.json`) is
// revalidated on every load (`no-cache` with an ETag). Every answer carries a strict
// Content-Security-Policy: scripts, styles and workers from this origin only, no inline script or style,
// `connect-src` this node (HTTP and its WebSocket) and the chain's RPC, no framing, no plugins, no <base>.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { WEB_CONFIG_PATH, type WebConfig } from "../../protocol/web-config.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};
/** Worth compressing: text, above a size where gzip's header costs more than it saves. */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json|wasm)|image\/svg)/;
const MIN_GZIP_BYTES = 1024;

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const NO_CACHE = "no-cache";

export interface WebFile {
  body: Buffer;
  /** The gzipped body, made on the first request that accepts it (a node's start-up does not pay for it). */
  gzip(): Buffer | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

/** The app's files by URL path (`/`, `/assets/index-3f2a.js`, …). */
export type WebFiles = ReadonlyMap<string, WebFile>;

/**
 * Reads the built app in `dir` into memory: every regular file under it (symbolic links are not
 * followed), by its URL path; `/` is `index.html`. Undefined when `dir` has no `index.html`.
 *
 * @example
 * const files = await readWebApp("web/dist");
 */
export async function readWebApp(dir: string): Promise<WebFiles | undefined> {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  const files = new Map<string, WebFile>();
  for (const path of await listFiles(dir)) {
    const urlPath = `/${relative(dir, path).split(sep).join("/")}`;
    const body = await readFile(path);
    const type = TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
    // Vite writes content-hashed names under assets/ only: the rest keeps its name from one build to the next.
    const cacheControl = urlPath.startsWith("/assets/") ? IMMUTABLE : NO_CACHE;
    files.set(urlPath, webFile(body, type, cacheControl));
  }
  files.set("/", files.get("/index.html") as WebFile);
  return files;
}

function webFile(body: Buffer, type: string, cacheControl: string): WebFile {
  const compressible = COMPRESSIBLE.test(type) && body.length >= MIN_GZIP_BYTES;
  let zipped: Buffer | undefined;
  const gzip = () => {
    if (compressible) zipped ??= gzipSync(body, { level: 9 });
    return zipped;
  };
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, gzip, type, etag, cacheControl };
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

export interface ContentSecurityPolicyParameters {
  /** The chain's RPC the app reads through: its origin (never its path, which may hold a provider's key). */
  rpc: string;
  /** This node's WebSocket origin (`ws://host:port`, `wss://…` behind TLS), for the stream and the chat. */
  socketOrigin: string;
}

/**
 * The app's Content-Security-Policy: nothing from another origin but the RPC, no inline script or style.
 *
 * @example
 * contentSecurityPolicy({ rpc: "http://127.0.0.1:8545", socketOrigin: "ws://127.0.0.1:8787" });
 */
export function contentSecurityPolicy({ rpc, socketOrigin }: ContentSecurityPolicyParameters): string {
  const connect = new Set(["'self'", socketOrigin, new URL(rpc).origin]);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${[...connect].join(" ")}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
}

export interface WebAppPluginParameters {
  files: WebFiles;
  /** Served at `/web-config.json`: the chain, the RPC and the contracts the app uses. */
  config: WebConfig;
  /**
   * Where clients reach this node (`--public-url`), read per request (the port is known once it listens);
   * undefined: the request's own Host.
   */
  publicUrl: () => URL | undefined;
}

/** Paths that belong to the API: never answered with a file, so that an unknown one keeps the API's 404. */
const API_PATHS = /^\/(v1|healthz|metrics)(\/|$)/;
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The app's files as a catch-all `GET` route: the API's routes, registered by path, keep priority; a path
 * that is not one of the files (a traversal attempt included) gets the API's 404.
 *
 * @example
 * const files = await readWebApp(dir);
 * if (files) plugins.push(webAppPlugin({ files, config, publicUrl: () => undefined }));
 */
export function webAppPlugin({ files, config, publicUrl }: WebAppPluginParameters): FastifyPluginAsync {
  const configFile = webFile(Buffer.from(`${JSON.stringify(config)}\n`), TYPES[".json"] as string, NO_CACHE);
  const all = new Map(files).set(WEB_CONFIG_PATH, configFile);
  const policies = new Map<string, string>();
  const policyFor = (request: FastifyRequest) => {
    const base = publicUrl();
    const host = base?.host ?? request.headers.host ?? "";
    // A Host that is not a plain host[:port] is not written into a header: 'self' still covers the page.
    const secure = base?.protocol === "https:";
    const socketOrigin = HOST.test(host) ? `${secure ? "wss" : "ws"}://${host}` : "'self'";
    let policy = policies.get(socketOrigin);
    if (policy === undefined) {
      policy = contentSecurityPolicy({ rpc: config.rpc, socketOrigin });
      // A handful of names a node is reached by; a flood of Hosts does not grow this past a bound.
      if (policies.size < 64) policies.set(socketOrigin, policy);
    }
    return policy;
  };

  return async (app) => {
    app.get("/*", async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split("?", 1)[0] as string;
      const file = API_PATHS.test(path) ? undefined : all.get(path);
      if (file === undefined) return reply.callNotFound();
      reply
        .header("content-security-policy", policyFor(request))
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cross-origin-opener-policy", "same-origin")
        .header("cache-control", file.cacheControl)
        .header("etag", file.etag)
        .header("vary", "accept-encoding")
        .type(file.type);
      if (request.headers["if-none-match"] === file.etag) return reply.code(304).send();
      const zipped = /\bgzip\b/.test(request.headers["accept-encoding"] ?? "") ? file.gzip() : undefined;
      if (zipped !== undefined) reply.header("content-encoding", "gzip");
      return reply.send(zipped ?? file.body);
    });
  };
}
