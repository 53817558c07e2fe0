// HTTP as the tests speak it to the node and the relayer: real fetch, the answer's JSON parsed for
// field-by-field assertions.
import { request as httpRequest } from "node:http";

// biome-ignore lint/suspicious/noExplicitAny: tests read fields of the answers and assert on them.
export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, asserted field by field in the tests
  json: any;
}

/** POSTs `body` as JSON (or as it is, with `raw`) with real fetch. */
export async function postJson(
  url: string,
  body: unknown,
  { raw = false, headers = {} }: { raw?: boolean; headers?: Record<string, string> },
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text) };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A GET with the path sent exactly as written: fetch would resolve `..` and `%2e` first, so that a path
 * traversal attempt never reached the server.
 */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    request.on("error", reject);
    request.end();
  });
}
