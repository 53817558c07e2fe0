// The node client's transport: one timeout and one error mapping. Refusals and failures come from a real
// node (the API server on loopback: a bad address is its 400, its rate limit a 429, indexed data before it
// has checked its cursor a 503); what a node never does (hang, answer HTML) from stand-ins on loopback,
// named so in each test.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRequestError, NodeUnavailableError } from "../../../wallet/errors.ts";
import { createNodeClient } from "../../../wallet/node/createNodeClient.ts";
import { getAccount } from "../../../wallet/node/getAccount.ts";
import { getHistory } from "../../../wallet/node/getHistory.ts";
import { getStatus } from "../../../wallet/node/getStatus.ts";
import { http } from "../../../wallet/node/http.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { type Served, serve } from "../../kit/serve-node.ts";
import { failure } from "../../kit/wallet-helpers.ts";

let chain: TestChain;
/** Serving, but its indexer never started: indexed data answers 503 until the cursor is checked. */
let unchecked: Served;
/** Synced. */
let synced: Served;
/** Two requests a minute per IP. */
let limited: Served;

beforeAll(async () => {
  chain = await startChain();
  unchecked = await serve(chain);
  synced = await serve(chain);
  await synced.indexer.sync();
  limited = await serve(chain, { rateLimit: { max: 2, timeWindowMs: 60_000 } });
}, 120_000);
afterAll(async () => {
  await unchecked?.close();
  await synced?.close();
  await limited?.close();
  await chain?.close();
});

const clientOf = (url: string, timeout?: number) => createNodeClient({ transport: http(url, { timeout }) });

/** A stand-in for a node on loopback, answering as `handle` says. */
async function standIn(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("what the node refuses (4xx) is a NodeRequestError with its code", () => {
  it("a malformed address: NODE_BAD_REQUEST, the user's to fix, with the node's message", async () => {
    const error = await failure(NodeRequestError, getAccount(clientOf(synced.url), { address: "0x12" }));
    expect({ code: error.code, kind: error.kind, status: error.status, nodeCode: error.nodeCode }).toEqual({
      code: "NODE_BAD_REQUEST",
      kind: "user",
      status: 400,
      nodeCode: "BAD_REQUEST",
    });
    expect(error.nodeMessage).toMatch(/^address: got '0x12', expected 0x and 40 hex digits/);
    expect(error.shortMessage).toBe(`the node refused GET /v1/accounts/0x12: ${error.nodeMessage}`);
  });

  it("its rate limit: NODE_RATE_LIMITED, a failure to retry later", async () => {
    const node = clientOf(limited.url);
    const answers = await Promise.allSettled([1, 2, 3, 4].map(() => getStatus(node)));
    const refused = answers.flatMap((answer) => (answer.status === "rejected" ? [answer.reason] : []));
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error).toBeInstanceOf(NodeRequestError);
      expect([error.code, error.kind, error.status]).toEqual(["NODE_RATE_LIMITED", "failure", 429]);
      expect(error.hint).toBe("wait a little and try again");
    }
  });
});

describe("what fails is a NodeUnavailableError (a failure: exit 2)", () => {
  it("the node's 503 keeps its code and message", async () => {
    const address = chain.holders[0] as string;
    const error = await failure(NodeUnavailableError, getAccount(clientOf(unchecked.url), { address }));
    expect({ code: error.code, kind: error.kind, status: error.status, nodeCode: error.nodeCode }).toEqual({
      code: "NODE_UNAVAILABLE",
      kind: "failure",
      status: 503,
      nodeCode: "UNAVAILABLE",
    });
    expect(error.shortMessage).toBe(`the node answered 503: ${error.nodeMessage}`);
  });

  it("a node that does not answer in time (a stand-in that never answers): the transport's timeout", async () => {
    const silent = await standIn(() => {});
    try {
      const started = Date.now();
      const error = await failure(NodeUnavailableError, getStatus(clientOf(silent.url, 300)));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.shortMessage).toBe(`the node at ${silent.url} did not answer GET /v1/status within 0.3 s`);
      expect(error.status).toBeUndefined();
    } finally {
      await silent.close();
    }
  });

  it("nothing listening: could not reach the node, check --node", async () => {
    const gone = await standIn(() => {});
    await gone.close();
    const error = await failure(NodeUnavailableError, getStatus(clientOf(gone.url)));
    expect([error.shortMessage, error.hint]).toEqual([`could not reach the node at ${gone.url}`, "check --node"]);
  });

  it("a proxy's HTML error page (a stand-in): the status, and no code of the node's", async () => {
    const proxy = await standIn((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" }).end("<html>Bad Gateway</html>");
    });
    try {
      const error = await failure(NodeUnavailableError, getStatus(clientOf(proxy.url)));
      expect([error.status, error.nodeCode, error.details]).toEqual([502, undefined, "<html>Bad Gateway</html>"]);
      expect(error.shortMessage).toBe("the node answered GET /v1/status with 502 and something that is not JSON");
    } finally {
      await proxy.close();
    }
  });
});

describe("requests", () => {
  it("keep a path prefix of the node's URL and send the query (a stand-in recording the request)", async () => {
    const seen: string[] = [];
    const proxy = await standIn((request, response) => {
      seen.push(request.url ?? "");
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "nothing here" } }));
    });
    try {
      const node = clientOf(`${proxy.url}/gram`);
      await failure(NodeRequestError, getStatus(node));
      await failure(NodeRequestError, getHistory(node, { address: "0xab", limit: 5, cursor: "c/1" }));
      expect(seen).toEqual(["/gram/v1/status", "/gram/v1/accounts/0xab/history?limit=5&cursor=c%2F1"]);
    } finally {
      await proxy.close();
    }
  });

  it("stop when the caller aborts, with the caller's reason", async () => {
    const silent = await standIn(() => {});
    try {
      const controller = new AbortController();
      const reason = new Error("the user gave up");
      setTimeout(() => controller.abort(reason), 50);
      await expect(getStatus(clientOf(silent.url), { signal: controller.signal })).rejects.toBe(reason);
    } finally {
      await silent.close();
    }
  });
});
