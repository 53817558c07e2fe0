// A stand-in for the node's relayer on a loopback port (a test double, named so in the tests that use it):
// it records each request and answers as the test says. It plays what a real relayer must never do (answer
// with a transaction of its choosing and submit nothing), or sits in front of the real one as a barrier
// that holds requests until enough have arrived and then forwards them all at once.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInRequest {
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: a relay request as JSON, asserted on field by field.
  body: any;
}

export type StandInAnswer = { status: number; json: unknown };

export async function startRelayerStandIn(answer: (request: StandInRequest) => Promise<StandInAnswer>) {
  const requests: StandInRequest[] = [];
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const request = { path: req.url ?? "", body: text === "" ? undefined : JSON.parse(text) };
    requests.push(request);
    const { status, json } = await answer(request);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A relayer that answers every request with `txHash` and submits nothing. */
export function startLyingRelayer(txHash: () => string) {
  return startRelayerStandIn(async () => ({
    status: 200,
    json: { txHash: txHash(), duplicate: false, id: `0x${"ab".repeat(32)}` },
  }));
}

/**
 * Holds each request until `count` have arrived, then forwards them all at once to the real relayer at
 * `target` and hands back its answers: `count` payers reach it at the same moment.
 */
export function startBarrier(target: string, count: number) {
  const held: (() => void)[] = [];
  return startRelayerStandIn(async ({ path, body }) => {
    await new Promise<void>((release) => {
      held.push(release);
      if (held.length === count) for (const go of held.splice(0)) go();
    });
    const response = await fetch(new URL(path, target), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  });
}
