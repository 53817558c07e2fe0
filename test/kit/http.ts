// HTTP as the tests speak it to the node and the relayer: real fetch, the answer's JSON parsed for
// field-by-field assertions.

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
