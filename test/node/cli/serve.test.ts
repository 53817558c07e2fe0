// The gram-node binary against a chain on loopback: it starts, serves, indexes, stops cleanly on
// SIGTERM and resumes where it stopped; the relay routes exist exactly when it has a key.

import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak256, parseEther, stringToHex, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { killAll, spawnGramNode } from "../../../scripts/lib/spawn-gram-node.ts";
import { waitFor } from "../../../scripts/lib/wait-for.ts";
import { waitIndexed } from "../../../scripts/lib/wait-indexed.ts";
import type { TestChain } from "../../kit/chain.ts";
import { getJson } from "../../kit/http.ts";
import { expectServedEqualsChain, nodeFolders, startChainWithFolders } from "../../kit/node-process.ts";
import { randomTransfers } from "../../kit/workload.ts";

let chain: TestChain;
let folders: Awaited<ReturnType<typeof nodeFolders>>;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ chain, folders, close } = await startChainWithFolders());
});
afterAll(() => close?.());
afterEach(killAll);

const args = (dataDir: string, ...more: string[]) => [
  "--rpc",
  chain.url,
  "--data-dir",
  dataDir,
  "--deployments",
  folders.deployments,
  "--port",
  "0",
  "--finality",
  "5",
  "--poll-interval-ms",
  "10",
  ...more,
];

describe("gram-node", () => {
  it("serves /healthz and /v1/status, indexes transfers, stops on SIGTERM with 0 and resumes on restart", async () => {
    await randomTransfers(chain, 1, 6, 4);
    const dataDir = join(folders.root, "serve");
    const first = spawnGramNode(args(dataDir));
    const url = await first.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // 503 until the indexer's first step has checked the stored cursor against the chain (issue 11).
    await waitFor(async () => (await getJson(`${url}/healthz`)).status === 200, 10_000, "/healthz to answer 200");
    await waitIndexed(chain.client, url);
    const { body: status } = await getJson(`${url}/v1/status`);
    expect(status).toMatchObject({ chainId: 31337, phase: "realtime", syncing: false, lag: 0, confirmations: 2 });
    await expectServedEqualsChain(chain, url);

    // Mined while it runs: shown once indexed.
    await randomTransfers(chain, 2, 2, 3);
    await waitIndexed(chain.client, url);
    await expectServedEqualsChain(chain, url);
    const stoppedAt = (await getJson(`${url}/v1/status`)).body.indexedBlock;

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.records().at(-1)).toMatchObject({ msg: "stopped", code: 0 });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // Mined while it is down: the restart resumes from its cursor, not from the deploy block.
    await randomTransfers(chain, 3, 3, 3);
    const second = spawnGramNode(args(dataDir));
    const url2 = await second.ready;
    expect(second.records().find((record) => record.msg === "serving")).toMatchObject({ resumeFrom: stoppedAt });
    await waitIndexed(chain.client, url2);
    await expectServedEqualsChain(chain, url2);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });

  it("serves the web app of --web-dir at /, and says so when the folder has no built app", async () => {
    const app = join(folders.root, "web-app");
    await mkdir(join(app, "assets"), { recursive: true });
    await writeFile(join(app, "index.html"), "<!doctype html><title>Gram</title>");
    const withApp = spawnGramNode(
      args(join(folders.root, "web-a"), "--web-dir", app, "--web-demo-accounts", "alice=1,bob=2"),
    );
    const url = await withApp.ready;
    expect(withApp.records().find((record) => record.msg === "serving")).toMatchObject({ web: `${url}/` });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<!doctype html><title>Gram</title>");
    expect(page.headers.get("content-security-policy")).toContain(
      `connect-src 'self' ws://${new URL(url).host} ${chain.url}`,
    );
    const config = await (await fetch(`${url}/web-config.json`)).json();
    expect(config).toEqual({
      chainId: 31337,
      rpc: chain.url,
      contracts: { token: chain.token, escrow: chain.escrow },
      deployBlock: expect.any(Number),
      relayer: false,
      demoAccounts: [
        { name: "alice", index: 1 },
        { name: "bob", index: 2 },
      ],
    });
    await withApp.stop();

    const none = join(folders.root, "no-app");
    const withoutApp = spawnGramNode(
      args(join(folders.root, "web-b"), "--web-dir", none, "--web-rpc", "https://rpc.example/"),
    );
    const url2 = await withoutApp.ready;
    const warning = withoutApp.records().find((record) => record.webDir === none);
    expect(warning?.msg).toMatch(/^no web app: the folder has no index.html \(npm run build:web builds it/);
    expect(withoutApp.records().find((record) => record.msg === "serving")).toMatchObject({ web: null });
    expect((await getJson(`${url2}/`)).status).toBe(404);
    expect((await getJson(`${url2}/v1/status`)).status).toBe(200);
    await withoutApp.stop();
  });

  it("serves the relay routes only with a key file, and refuses a second node on the same data folder", async () => {
    const key = keccak256(stringToHex("gram-node-binary-test:relayer"));
    const relayer = privateKeyToAccount(key);
    await chain.client.request({
      method: "eth_sendTransaction" as never,
      params: [{ from: chain.owner, to: relayer.address, value: toHex(parseEther("1")) }] as never,
    });
    const keyFile = join(folders.root, "relayer.key");
    await writeFile(keyFile, `${key}\n`);
    await chmod(keyFile, 0o600);
    const dataDir = join(folders.root, "relay");

    const withKey = spawnGramNode(args(dataDir, "--relayer-key-file", keyFile, "--relay-ip-rate-limit", "3"));
    const url = await withKey.ready;
    expect(withKey.records().find((record) => record.msg === "serving")).toMatchObject({
      relayer: relayer.address,
    });
    const bad = await fetch(`${url}/v1/relay/transfer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    // The flag and the defaults reach the relayer; the fourth request of the minute from this IP is refused.
    const status = await (await fetch(`${url}/v1/relay/status`)).json();
    expect(status).toMatchObject({
      address: relayer.address,
      limits: {
        perIpPerMinute: 3,
        perPayerPerMinute: 10,
        maxTransactionsPerHour: 1000,
        maxWeiPerHour: "100000000000000000",
      },
    });
    await fetch(`${url}/v1/relay/status`);
    expect((await fetch(`${url}/v1/relay/status`)).status).toBe(429);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^gram_relayer_pending_transactions 0$/m);

    const twin = spawnGramNode(args(dataDir));
    expect(await twin.exited).toBe(1);
    expect(twin.output()).toContain(
      `gram-node: --data-dir: got '${dataDir}', expected a folder no other process has open`,
    );

    withKey.child.kill("SIGTERM");
    expect(await withKey.exited).toBe(0);

    const withoutKey = spawnGramNode(args(dataDir));
    const url2 = await withoutKey.ready;
    const missing = await fetch(`${url2}/v1/relay/transfer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(404);
    withoutKey.child.kill("SIGTERM");
    expect(await withoutKey.exited).toBe(0);
  });

  it("exits 1 when the RPC's chain has no deployment record, or the port is taken", async () => {
    const noRecord = spawnGramNode([...args(join(folders.root, "x")), "--deployments", folders.root]);
    expect(await noRecord.exited).toBe(1);
    expect(noRecord.output()).toContain(
      `gram-node: --deployments: ${join(folders.root, "31337.json")}: no deployment for chain 31337`,
    );

    const node = spawnGramNode(args(join(folders.root, "port-a")));
    const port = new URL(await node.ready).port;
    const taken = spawnGramNode([...args(join(folders.root, "port-b")), "--port", port]);
    expect(await taken.exited).toBe(1);
    expect(taken.output()).toContain(
      `gram-node: --port: got '${port}', expected a free port (127.0.0.1:${port} is in use)`,
    );
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  });

  it("exits 2, after closing cleanly, on a fatal indexer error: a data folder indexed for other contracts", async () => {
    const dataDir = join(folders.root, "mismatch");
    const first = spawnGramNode(args(dataDir));
    await waitIndexed(chain.client, await first.ready);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // The same folder, other contracts: the store refuses (StoreMismatchError), loudly.
    const other = await nodeFolders(chain, {
      ...chain.deployment,
      contracts: {
        ...chain.deployment.contracts,
        MerchantEscrow: { ...chain.deployment.contracts.MerchantEscrow, address: chain.owner },
      },
    });
    try {
      const second = spawnGramNode([...args(dataDir), "--deployments", other.deployments]);
      expect(await second.exited).toBe(2);
      const fatal = second.records().find((record) => record.level === 60);
      expect(fatal).toMatchObject({ error: "StoreMismatchError" });
      expect(second.records().at(-1)).toMatchObject({ msg: "stopped", code: 2 });
    } finally {
      await other.cleanup();
    }
  });

  it("over a WebSocket RPC, follows new heads pushed by eth_subscribe rather than polling", async () => {
    const dataDir = join(folders.root, "ws");
    // Polling once an hour: only a pushed head can make a new block show within the wait below.
    const wsArgs = args(dataDir, "--poll-interval-ms", "3600000").map((arg) =>
      arg === chain.url ? chain.url.replace(/^http/, "ws") : arg,
    );
    expect(wsArgs).toContain(chain.url.replace(/^http/, "ws"));
    const node = spawnGramNode(wsArgs);
    const url = await node.ready;
    await waitIndexed(chain.client, url);
    for (let round = 0; round < 3; round++) {
      await randomTransfers(chain, 10 + round, 1, 2);
      await waitIndexed(chain.client, url, 10_000);
    }
    await expectServedEqualsChain(chain, url);
    expect(node.records().some((record) => record.msg?.includes("subscription failed"))).toBe(false);
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  });

  it("serves the chat hub on /v1/chat, its sign-in naming the node's own address or --public-url", async () => {
    const challengeOf = async (url: string) => {
      const socket = new WebSocket(`${url.replace(/^http/, "ws")}/v1/chat`);
      try {
        await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
        const answer = new Promise<Record<string, unknown>>((resolve) =>
          socket.once("message", (data) => resolve(JSON.parse(String(data)))),
        );
        socket.send(JSON.stringify({ op: "challenge" }));
        return await answer;
      } finally {
        socket.close();
      }
    };
    const dataDir = join(folders.root, "chat");
    const node = spawnGramNode(args(dataDir));
    const url = await node.ready;
    const host = new URL(url).host;
    expect(await challengeOf(url)).toMatchObject({
      type: "challenge",
      domain: host,
      uri: `ws://${host}/v1/chat`,
      chainId: 31337,
      nonce: expect.stringMatching(/^[0-9a-zA-Z]{8,}$/),
    });
    expect(node.records().find((record) => record.msg === "serving")).toMatchObject({ chat: `ws://${host}/v1/chat` });
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
    // Its own LevelDB beside the index: chat history is not rebuilt from the chain.
    expect(existsSync(join(dataDir, "hub", "CURRENT"))).toBe(true);

    const proxied = spawnGramNode([...args(dataDir), "--public-url", "https://chat.example.org"]);
    expect(await challengeOf(await proxied.ready)).toMatchObject({
      domain: "chat.example.org",
      uri: "wss://chat.example.org/v1/chat",
    });
    proxied.child.kill("SIGTERM");
    expect(await proxied.exited).toBe(0);
  });

  it("gives the chat hub its caps from flags and environment", async () => {
    const node = spawnGramNode([...args(join(folders.root, "chat-caps")), "--hub-sign-in-timeout-ms", "60000"], {
      GRAM_HUB_CONNECTIONS_PER_IP: "1",
    });
    const chatUrl = `${(await node.ready).replace(/^http/, "ws")}/v1/chat`;
    const connect = async () => {
      const socket = new WebSocket(chatUrl);
      const closed = new Promise<[number, string]>((resolve) =>
        socket.once("close", (code, reason) => resolve([code, String(reason)])),
      );
      await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
      return { socket, closed };
    };
    const first = await connect();
    expect(await (await connect()).closed).toEqual([
      1013,
      "too many connections from 127.0.0.1 (at most 1); try later",
    ]);
    first.socket.close();
    await first.closed;
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  });
});
