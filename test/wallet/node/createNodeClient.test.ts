// The node client checks every answer against the API's schema (protocol/api.ts, protocol/relay.ts)
// before an action returns it: a stand-in for a node on loopback (test/wallet/cli/relayer-stand-in.ts)
// answers 200 with JSON that is not what the API says, and the action fails instead of handing it on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeUnavailableError } from "../../../wallet/errors.ts";
import { createNodeClient, type NodeClient } from "../../../wallet/node/createNodeClient.ts";
import { getAccount } from "../../../wallet/node/getAccount.ts";
import { getStatus } from "../../../wallet/node/getStatus.ts";
import { http } from "../../../wallet/node/http.ts";
import { relayTransfer } from "../../../wallet/node/relayTransfer.ts";
import { startRelayerStandIn } from "../../kit/relayer-stand-in.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const HASH = `0x${"ab".repeat(32)}`;

/** Answers 200 to everything, with JSON shaped almost like the node's: one field off each. */
const ANSWERS: Record<string, unknown> = {
  "/v1/status": { chainId: "31337", phase: "realtime" },
  [`/v1/accounts/${ADDRESS}`]: {
    address: ADDRESS,
    block: 7,
    confirmedBlock: 5,
    balances: [{ token: ADDRESS, symbol: "GRAM", decimals: 9, balance: 1500, confirmed: "1500" }],
  },
  "/v1/relay/transfer": { duplicate: false, id: HASH },
};

let standIn: Awaited<ReturnType<typeof startRelayerStandIn>>;
let node: NodeClient;
beforeAll(async () => {
  standIn = await startRelayerStandIn(async ({ path }) => ({ status: 200, json: ANSWERS[path] ?? {} }));
  node = createNodeClient({ transport: http(standIn.url) });
});
afterAll(() => standIn?.close());

describe("an answer that is not what the API says (a stand-in node)", () => {
  it.each([
    ["getStatus", () => getStatus(node), "GET /v1/status", "chainId: Invalid input: expected number, received string"],
    [
      "getAccount",
      () => getAccount(node, { address: ADDRESS }),
      `GET /v1/accounts/${ADDRESS}`,
      "balances.0.balance: Invalid input: expected string, received number",
    ],
    [
      "relayTransfer",
      () => relayTransfer(node, { request: {} as never }),
      "POST /v1/relay/transfer",
      "txHash: Invalid input: expected string, received undefined",
    ],
  ])("%s: a NodeUnavailableError naming the field, never the value passed on", async (_name, call, what, details) => {
    const error = await failure(NodeUnavailableError, call());
    expect(error.shortMessage).toBe(`the node's answer to ${what} is not what the API says`);
    expect(error.details).toBe(details);
    expect(error.kind).toBe("failure");
  });
});
