// Hostile and malformed input against the real server: every one gets the right 4xx with a JSON
// `{ error: { code, message } }` that says what was expected, and the server keeps serving. The
// messages are snapshotted.
import { connect } from "node:net";
import type { FastifyPluginAsync } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorSchema, STREAM_LIMITS } from "../../../protocol/api.ts";
import { startChain, type TestChain } from "../../kit/chain.ts";
import { get, type Served, serve, streamClient } from "../../kit/serve-node.ts";

// Fixed addresses, so that snapshotted messages do not depend on the chain.
const ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7"; // EIP-55's own example
const WRONG_CHECKSUM = "0x52908400098527886e0F7030069857D2E4169EE7";
const ID = `0x${"ab".repeat(32)}`;
const cursorOf = (text: string) => Buffer.from(text, "latin1").toString("base64url");

/** Stands in for the relayer: a POST route under the API's body limit and error handling. */
const echoPlugin: FastifyPluginAsync = async (app) => {
  app.post("/v1/test/echo", async (request) => {
    const body = request.body as { fail?: boolean };
    if (body.fail)
      throw Object.assign(new Error("the signature does not match"), { statusCode: 400, code: "INVALID_SIGNATURE" });
    return { echoed: body };
  });
};

let chain: TestChain;
let served: Served;

beforeAll(async () => {
  chain = await startChain();
  served = await serve(chain, { plugins: [echoPlugin], bodyLimit: 16 * 1024 });
  await served.indexer.sync();
});
afterAll(async () => {
  await served?.close();
  await chain?.close();
});

const cases: Array<[name: string, path: string, status: number, init?: RequestInit]> = [
  ["address too short", "/v1/accounts/0x12", 400],
  ["address not hex", `/v1/accounts/0x${"zz".repeat(20)}`, 400],
  ["address without 0x", `/v1/accounts/${ADDRESS.slice(2)}`, 400],
  ["address of 41 digits", `/v1/accounts/${ADDRESS}0`, 400],
  ["address of 39 digits", `/v1/accounts/${ADDRESS.slice(0, -1)}`, 400],
  ["address with a wrong checksum", `/v1/accounts/${WRONG_CHECKSUM}`, 400],
  ["address is a word", "/v1/accounts/alice", 400],
  ["address with a trailing space", `/v1/accounts/${ADDRESS}%20`, 400],
  ["address of 900 characters", `/v1/accounts/0x${"a".repeat(898)}`, 400],
  ["address as a 32-byte hash", `/v1/accounts/${ID}`, 400],
  ["history of a bad address", "/v1/accounts/0x12/history", 400],
  ["history limit 0", `/v1/accounts/${ADDRESS}/history?limit=0`, 400],
  ["history limit -1", `/v1/accounts/${ADDRESS}/history?limit=-1`, 400],
  ["history limit 10001", `/v1/accounts/${ADDRESS}/history?limit=10001`, 400],
  ["history limit abc", `/v1/accounts/${ADDRESS}/history?limit=abc`, 400],
  ["history limit 1.5", `/v1/accounts/${ADDRESS}/history?limit=1.5`, 400],
  ["history limit 01", `/v1/accounts/${ADDRESS}/history?limit=01`, 400],
  ["history limit empty", `/v1/accounts/${ADDRESS}/history?limit=`, 400],
  ["history limit twice", `/v1/accounts/${ADDRESS}/history?limit=1&limit=2`, 400],
  ["history cursor of symbols", `/v1/accounts/${ADDRESS}/history?cursor=!!!`, 400],
  ["history cursor of garbage", `/v1/accounts/${ADDRESS}/history?cursor=${cursorOf("hello")}`, 400],
  ["history cursor too long", `/v1/accounts/${ADDRESS}/history?cursor=${"A".repeat(5000)}`, 400],
  [
    "history cursor of an invoice list",
    `/v1/accounts/${ADDRESS}/history?cursor=${cursorOf(`000000000001:000000:${ID}`)}`,
    400,
  ],
  ["history token malformed", `/v1/accounts/${ADDRESS}/history?token=0x12`, 400],
  ["history token wrong checksum", `/v1/accounts/${ADDRESS}/history?token=${WRONG_CHECKSUM}`, 400],
  ["history unknown parameter", `/v1/accounts/${ADDRESS}/history?page=2`, 400],
  ["invoice id too short", "/v1/invoices/0x12", 400],
  ["invoice id of 63 digits", `/v1/invoices/${ID.slice(0, -1)}`, 400],
  ["invoice id of 65 digits", `/v1/invoices/${ID}0`, 400],
  ["invoice id not hex", `/v1/invoices/0x${"g".repeat(64)}`, 400],
  ["invoice id is an address", `/v1/invoices/${ADDRESS}`, 400],
  ["invoice unknown", `/v1/invoices/${ID}`, 404],
  ["merchant invoices of a bad address", "/v1/merchants/0x12/invoices", 400],
  ["merchant invoices bad status", `/v1/merchants/${ADDRESS}/invoices?status=bogus`, 400],
  ["merchant invoices limit 0", `/v1/merchants/${ADDRESS}/invoices?limit=0`, 400],
  [
    "merchant invoices cursor of a history",
    `/v1/merchants/${ADDRESS}/invoices?cursor=${cursorOf("000000000001:000000:0")}`,
    400,
  ],
  ["merchant balances of a bad address", "/v1/merchants/bob/balances", 400],
  ["unknown route", "/v1/nope", 404],
  ["unknown version", "/v2/status", 404],
  ["extra path segment", `/v1/accounts/${ADDRESS}/extra`, 404],
  [
    "POST to a GET route",
    "/v1/status",
    404,
    { method: "POST", body: "{}", headers: { "content-type": "application/json" } },
  ],
  ["DELETE an account", `/v1/accounts/${ADDRESS}`, 404, { method: "DELETE" }],
  ["bad percent-encoding", "/v1/accounts/%zz", 400],
  [
    "body over the limit",
    "/v1/test/echo",
    413,
    {
      method: "POST",
      body: JSON.stringify({ x: "a".repeat(100_000) }),
      headers: { "content-type": "application/json" },
    },
  ],
  [
    // Refused by size before routing: the body is never read whole.
    "huge body to an unknown route",
    "/v1/nope",
    413,
    { method: "POST", body: "a".repeat(1_000_000), headers: { "content-type": "application/json" } },
  ],
  [
    "body not JSON",
    "/v1/test/echo",
    400,
    { method: "POST", body: "{oops", headers: { "content-type": "application/json" } },
  ],
  [
    "body of another type",
    "/v1/test/echo",
    415,
    { method: "POST", body: "hi", headers: { "content-type": "text/plain" } },
  ],
  [
    "a plugin's own error code",
    "/v1/test/echo",
    400,
    { method: "POST", body: '{"fail":true}', headers: { "content-type": "application/json" } },
  ],
];

describe("bad HTTP input", () => {
  it(`answers ${cases.length} bad requests with the right 4xx and a JSON error saying what was expected`, async () => {
    const answers: Record<string, { status: number; code: string; message: string }> = {};
    for (const [name, path, status, init] of cases) {
      const response = await fetch(served.url + path, init);
      const json = await response.json();
      const parsed = apiErrorSchema.safeParse(json);
      expect({ name, body: parsed.success ? "ok" : json }).toEqual({ name, body: "ok" });
      const body = apiErrorSchema.parse(json);
      expect({ name, status: response.status }).toEqual({ name, status });
      answers[name] = { status: response.status, ...body.error };
    }
    expect(answers).toMatchSnapshot();
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it("keeps serving after all of them", async () => {
    expect((await get(served, "/v1/status")).status).toBe(200);
    expect((await get(served, `/v1/accounts/${ADDRESS}`)).status).toBe(200);
    const echo = await fetch(`${served.url}/v1/test/echo`, {
      method: "POST",
      body: '{"ok":1}',
      headers: { "content-type": "application/json" },
    });
    expect(await echo.json()).toEqual({ echoed: { ok: 1 } });
  });

  it("answers 429 RATE_LIMITED past the per-IP limit, with Retry-After", async () => {
    const limited = await serve(chain, { rateLimit: { max: 5, timeWindowMs: 60_000 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await get(limited, "/v1/status")).status);
      const response = await fetch(`${limited.url}/v1/accounts/${ADDRESS}`);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(apiErrorSchema.parse(await response.json()).error.code).toBe("RATE_LIMITED");
    } finally {
      await limited.close();
    }
  });
});

/** Sends `text` as it is on a TCP connection and reads the answer until the server closes it (each request here asks it to). */
function rawRequest(served: Served, text: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(served.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = answer.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]), headers: head, body });
    });
    // Not half-closed: a server may take the end of our side as the end of the conversation.
    socket.write(text);
  });
}

describe("requests the HTTP parser refuses", () => {
  const big = "a".repeat(20_000);
  // [name, the request as sent, status, code]
  const parserCases: Array<[name: string, request: string, status: number, code: string]> = [
    ["a bad request line", "GARBAGE\r\n\r\n", 400, "BAD_REQUEST"],
    ["an unknown HTTP version", "GET /v1/status HTTP/9.9\r\nHost: x\r\n\r\n", 400, "BAD_REQUEST"],
    ["a header name with a space", "GET /v1/status HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400, "BAD_REQUEST"],
    ["a 20 KB header", `GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`, 431, "HEADERS_TOO_LARGE"],
    ["a 20 KB query", `GET /v1/status?q=${big} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, "HEADERS_TOO_LARGE"],
    [
      "Content-Length with Transfer-Encoding",
      "POST /v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
      "BAD_REQUEST",
    ],
    [
      "two Content-Lengths",
      "POST /v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x",
      400,
      "BAD_REQUEST",
    ],
    [
      "a chunk size that is not hex",
      "POST /v1/test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      400,
      "BAD_REQUEST",
    ],
    ["an HTTP/1.1 request without Host", "GET /v1/status HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "BAD_REQUEST"],
    [
      "a path segment of 2,000 characters",
      `GET /v1/accounts/${"a".repeat(2_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      400,
      "BAD_REQUEST",
    ],
  ];

  it(`answers ${parserCases.length} of them in the API's JSON error shape, with the right status`, async () => {
    const answers: Record<string, { status: number; code: string; message: string }> = {};
    for (const [name, request, status, code] of parserCases) {
      const answer = await rawRequest(served, request);
      const json = (() => {
        try {
          return JSON.parse(answer.body);
        } catch {
          return answer.body;
        }
      })();
      expect({ name, status: answer.status, body: apiErrorSchema.safeParse(json).success ? "ok" : json }).toEqual({
        name,
        status,
        body: "ok",
      });
      expect(answer.headers).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      const { error } = apiErrorSchema.parse(json);
      expect({ name, code: error.code }).toEqual({ name, code });
      expect(error.message.length).toBeLessThan(300);
      answers[name] = { status: answer.status, ...error };
    }
    expect(answers).toMatchSnapshot();
    // And the server serves on.
    expect((await get(served, "/v1/status")).status).toBe(200);
  });

  it("serves HTTP/1.0 without Host", async () => {
    const answer = await rawRequest(served, "GET /v1/status HTTP/1.0\r\n\r\n");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ chainId: chain.chainId });
  });
});

describe("bad /v1/stream input", () => {
  it("answers each bad message with an error and keeps the connection usable", async () => {
    const client = await streamClient(served);
    const bad: Array<[name: string, frame: unknown]> = [
      ["not JSON", "{nope"],
      ["a JSON string", '"subscribe"'],
      ["an unknown message type", { hello: 1 }],
      ["an unknown field", { subscribe: {}, extra: 1 }],
      ["addresses not an array", { subscribe: { addresses: ADDRESS } }],
      ["a malformed address", { subscribe: { addresses: ["0x12"] } }],
      ["a wrong checksum", { subscribe: { addresses: [ADDRESS, WRONG_CHECKSUM] } }],
      ["an invoice id of 63 digits", { subscribe: { invoices: [ID.slice(0, -1)] } }],
      ["too many addresses", { subscribe: { addresses: Array(STREAM_LIMITS.addresses + 1).fill(ADDRESS) } }],
    ];
    const errors: Record<string, unknown> = {};
    for (const [name, frame] of bad) {
      const seen = client.messages.length;
      client.send(frame);
      const reply = await client.next(() => true, seen);
      expect({ name, type: reply.type, code: reply.error?.code }).toEqual({ name, type: "error", code: "BAD_REQUEST" });
      errors[name] = reply.error.message;
    }
    const seen = client.messages.length;
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    errors["a binary frame"] = (await client.next(() => true, seen)).error.message;
    expect(errors).toMatchSnapshot();
    // A bad address in a list changes nothing; a good subscription still works.
    client.send({ subscribe: { addresses: [ADDRESS] } });
    expect(await client.next((m) => m.type === "subscribed")).toEqual({
      type: "subscribed",
      addresses: [ADDRESS],
      invoices: [],
    });
    client.close();
  });

  it("closes a connection that sends a frame over the size limit (1009) and keeps serving others", async () => {
    const client = await streamClient(served);
    client.send("x".repeat(STREAM_LIMITS.messageBytes + 1));
    expect((await client.closed).code).toBe(1009);
    const other = await streamClient(served);
    other.send({ subscribe: { invoices: [ID] } });
    expect((await other.next((m) => m.type === "subscribed")).invoices).toEqual([ID]);
    other.close();
  });
});
