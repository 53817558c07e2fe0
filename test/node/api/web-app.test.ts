// The web app served by the node's API (node/api/web-app.ts), in this process over a real chain: the
// files of a built app from a temp folder, their caching and security headers, the API's routes keeping
// priority over the catch-all, and every traversal attempt refused.

import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, IMMUTABLE, NO_CACHE, readWebApp, webAppPlugin } from "../../../node/api/web-app.ts";
import { statusResponseSchema } from "../../../protocol/api.ts";
import { webConfigSchema } from "../../../protocol/web-config.ts";
import { type DeployedChain, startDeployedChain } from "../../kit/deployed-chain.ts";
import { rawGet } from "../../kit/http.ts";
import { type Served, serve } from "../../kit/serve-node.ts";

const INDEX = "<!doctype html><title>gram</title><script type=module src=/assets/index-AbC123.js></script>";
const SCRIPT = `console.log(${JSON.stringify("x".repeat(4000))});`;

let chain: DeployedChain;
let served: Served;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "gram-web-app-"));
  const dist = join(root, "dist");
  await mkdir(join(dist, "assets"), { recursive: true });
  await writeFile(join(dist, "index.html"), INDEX);
  await writeFile(join(dist, "assets/index-AbC123.js"), SCRIPT);
  await writeFile(join(dist, "sw.js"), "self.addEventListener('fetch', () => {});");
  await writeFile(join(root, "secret.txt"), "not for the web");
  // A link out of the folder is not followed.
  await symlink(join(root, "secret.txt"), join(dist, "linked.txt"));
  chain = await startDeployedChain();
  const files = await readWebApp(dist);
  if (files === undefined) throw new Error("the test app was not read");
  served = await serve(chain, {
    plugins: [
      webAppPlugin({
        files,
        config: {
          chainId: chain.chainId,
          rpc: `${chain.url}/secret-key-path`,
          contracts: { token: chain.token, escrow: chain.escrow },
          deployBlock: 0,
          relayer: false,
        },
        publicUrl: () => undefined,
      }),
    ],
  });
});
afterAll(async () => {
  await served?.close();
  await chain?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

const raw = (path: string, headers: Record<string, string> = {}) => rawGet(served.url, path, headers);

describe("the web app's files", () => {
  it("serves index.html at / and at /index.html, revalidated on every load", async () => {
    for (const path of ["/", "/index.html"]) {
      const answer = await raw(path);
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toBe(INDEX);
      expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(answer.headers["cache-control"]).toBe(NO_CACHE);
    }
  });

  it("serves a hashed asset as immutable for a year, gzipped when the client accepts it", async () => {
    const plain = await raw("/assets/index-AbC123.js");
    expect(plain.headers["cache-control"]).toBe(IMMUTABLE);
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    const zipped = await raw("/assets/index-AbC123.js", { "accept-encoding": "gzip, br" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body.length).toBeLessThan(plain.body.length / 10);
    expect(gunzipSync(zipped.body).toString()).toBe(SCRIPT);
  });

  it("answers 304 to a revalidation with the file's ETag", async () => {
    const first = await raw("/");
    const again = await raw("/", { "if-none-match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("sends the CSP and the security headers with every file", async () => {
    for (const path of ["/", "/sw.js", "/assets/index-AbC123.js", "/web-config.json"]) {
      const { headers } = await raw(path);
      const url = new URL(served.url);
      expect(headers["content-security-policy"]).toBe(
        contentSecurityPolicy({ rpc: chain.url, socketOrigin: `ws://${url.host}` }),
      );
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("no-referrer");
    }
  });

  it("writes a CSP with no inline script, no third-party origin and only the RPC's origin", () => {
    const policy = contentSecurityPolicy({
      rpc: "https://mainnet.example/v3/KEY",
      socketOrigin: "wss://gram.example",
    });
    expect(policy).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
        "connect-src 'self' wss://gram.example https://mainnet.example; manifest-src 'self'; worker-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
    );
    expect(policy).not.toContain("KEY");
    expect(policy).not.toContain("unsafe");
  });

  it("serves /web-config.json: the chain, the RPC and the contracts, as the app's schema reads them", async () => {
    const answer = await raw("/web-config.json");
    expect(answer.headers["cache-control"]).toBe(NO_CACHE);
    const config = webConfigSchema.parse(JSON.parse(answer.body.toString()));
    expect(config).toEqual({
      chainId: chain.chainId,
      rpc: `${chain.url}/secret-key-path`,
      contracts: { token: chain.token, escrow: chain.escrow },
      deployBlock: 0,
      relayer: false,
    });
  });
});

describe("the API keeps its routes", () => {
  it("answers /v1/status from the API, not from the app", async () => {
    const answer = await raw("/v1/status");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-security-policy"]).toBeUndefined();
    expect(statusResponseSchema.parse(JSON.parse(answer.body.toString())).chainId).toBe(chain.chainId);
  });

  it("answers an unknown API path with the API's JSON 404", async () => {
    const answer = await raw("/v1/nothing-here");
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString())).toEqual({
      error: { code: "NOT_FOUND", message: "no route GET /v1/nothing-here" },
    });
  });
});

describe("paths outside the app", () => {
  it.each([
    ["a parent folder", "/../secret.txt"],
    ["an encoded parent folder", "/%2e%2e/secret.txt"],
    ["an encoded slash", "/assets/..%2f..%2fsecret.txt"],
    ["a backslash", "/assets\\..\\..\\secret.txt"],
    ["an absolute path", "//etc/passwd"],
    ["a symbolic link out of the folder", "/linked.txt"],
    ["a file that is not there", "/nothing.js"],
    ["a folder", "/assets"],
    ["a null byte", "/index.html%00.js"],
  ])("refuses %s (%s) with a 404 and shows nothing of the disk", async (_name, path) => {
    const answer = await raw(path);
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).not.toContain("not for the web");
    expect(answer.body.toString()).not.toContain("root:");
  });
});

describe("reading the built app", () => {
  it("finds no app in a folder without index.html", async () => {
    expect(await readWebApp(root)).toBeUndefined();
    expect(await readWebApp(join(root, "missing"))).toBeUndefined();
  });
});
