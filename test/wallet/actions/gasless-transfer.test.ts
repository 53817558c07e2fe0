import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import { encodePacked, keccak256 } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gramTokenDomain, transferWithAuthorizationTypes } from "../../../protocol/eip712.ts";
import { relayTransferRequestSchema } from "../../../protocol/relay.ts";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { signGaslessTransfer } from "../../../wallet/actions/signGaslessTransfer.ts";
import { NodeUnavailableError, RejectedError, RelayError } from "../../../wallet/errors.ts";
import { createNodeClient } from "../../../wallet/node/createNodeClient.ts";
import { http } from "../../../wallet/node/http.ts";
import { relayTransfer } from "../../../wallet/node/relayTransfer.ts";
import { describeTypedData } from "../../../wallet/summary/describeTypedData.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { mined, setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const { f } = chain;
const payer = addressOf("payer");
const other = addressOf("other");

/** Submits a parsed request the way the node's relayer does: from its own key, paying the gas. */
async function relay(body: unknown) {
  const r = relayTransferRequestSchema.parse(body);
  const hash = await f.token.write.transferWithAuthorization(
    [r.from, r.to, r.value, r.validAfter, r.validBefore, r.nonce, r.signature],
    { account: f.accounts.relayer.account },
  );
  return { hash, id: keccak256(encodePacked(["address", "bytes32"], [r.from, r.nonce])) };
}

describe("gasless transfer", () => {
  it("signs a request that parses with the relayer's schema and moves exactly the amount when a relayer submits it", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const shown: unknown[] = [];
    const { request, summary } = await signGaslessTransfer(client, {
      to: other,
      amount: "3.5",
      validForSeconds: 600,
      confirm: (s) => shown.push(s) > 0,
    });
    const parsed = relayTransferRequestSchema.parse(request);
    expect(parsed).toMatchObject({
      chainId: f.chainId,
      token: chain.token,
      from: payer,
      to: other,
      value: gram("3.5"),
      validAfter: 0n,
    });
    expect(parsed.nonce).toMatch(/^0x[0-9a-f]{64}$/);
    const latest = await chain.publicClient.getBlock();
    expect(Number(parsed.validBefore)).toBeGreaterThanOrEqual(Number(latest.timestamp) + 600);
    expect(Number(parsed.validBefore)).toBeLessThanOrEqual(Math.max(Date.now() / 1000, Number(latest.timestamp)) + 601);

    // The summary is what the signed typed data says, decoded back from the request.
    expect(shown).toEqual([summary]);
    const decoded = await describeTypedData(client, {
      typedData: {
        domain: gramTokenDomain(parsed.chainId, parsed.token),
        types: transferWithAuthorizationTypes,
        primaryType: "TransferWithAuthorization",
        message: {
          from: parsed.from,
          to: parsed.to,
          value: parsed.value,
          validAfter: parsed.validAfter,
          validBefore: parsed.validBefore,
          nonce: parsed.nonce,
        },
      },
      signer: parsed.from,
    });
    expect(decoded).toEqual(summary);
    expect(summary).toMatchObject({
      kind: "signature",
      action: "gaslessTransfer",
      recipient: other,
      fee: undefined,
      amount: { formatted: "3.5" },
      expiry: Number(parsed.validBefore),
    });

    const [fromBefore, toBefore] = [await chain.balanceOf(payer), await chain.balanceOf(other)];
    const ethBefore = await chain.publicClient.getBalance({ address: payer });
    const { hash } = await relay(request);
    expect((await mined(chain, hash)).status).toBe("success");
    expect(await chain.balanceOf(payer)).toBe(fromBefore - gram("3.5"));
    expect(await chain.balanceOf(other)).toBe(toBefore + gram("3.5"));
    // The payer paid no gas.
    expect(await chain.publicClient.getBalance({ address: payer })).toBe(ethBefore);
  });

  it("two authorizations never share a nonce", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const a = await signGaslessTransfer(client, { to: other, amount: "1" });
    const b = await signGaslessTransfer(client, { to: other, amount: "1" });
    expect(a.request.nonce).not.toBe(b.request.nonce);
  });

  it("a declined summary signs nothing", async () => {
    const client = await chain.clientFor(ROLE.payer);
    await failure(RejectedError, signGaslessTransfer(client, { to: other, amount: "1", confirm: () => false }));
  });

  it("relayTransfer posts to /v1/relay/transfer and maps the relayer's errors (stand-in relayer on loopback)", async () => {
    const seen = new Set<string>();
    const server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      };
      if (req.method !== "POST" || req.url !== "/v1/relay/transfer")
        return reply(404, { error: { code: "NOT_FOUND", message: "no route" } });
      const json = JSON.parse(body);
      if (json.value === "999") return reply(429, { error: { code: "RATE_LIMITED", message: "slow down" } });
      if (seen.has(json.nonce))
        return reply(400, { error: { code: "NONCE_USED", message: "authorization already used" } });
      seen.add(json.nonce);
      const { hash, id } = await relay(json);
      reply(200, { txHash: hash, duplicate: false, id });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const node = createNodeClient({ transport: http(`http://127.0.0.1:${(server.address() as AddressInfo).port}`) });
    try {
      const client = await chain.clientFor(ROLE.payer);
      const { request } = await signGaslessTransfer(client, { to: other, amount: "2" });
      const before = await chain.balanceOf(other);
      const response = await relayTransfer(node, { request });
      expect(response.duplicate).toBe(false);
      expect(response.id).toBe(
        keccak256(encodePacked(["address", "bytes32"], [payer, request.nonce as `0x${string}`])),
      );
      expect((await mined(chain, response.txHash)).status).toBe("success");
      expect(await chain.balanceOf(other)).toBe(before + gram("2"));

      const used = await failure(RelayError, relayTransfer(node, { request }));
      expect(used.toJSON()).toEqual({
        code: "RELAY_NONCE_USED",
        name: "RelayError",
        message: "the relayer refused: authorization already used",
        details: "NONCE_USED (HTTP 400)",
      });
      expect(used.kind).toBe("user");
      const limited = await failure(RelayError, relayTransfer(node, { request: { ...request, value: "999" } }));
      expect([limited.code, limited.kind, limited.status]).toEqual(["RELAY_RATE_LIMITED", "failure", 429]);
    } finally {
      server.close();
    }
    const down = await failure(NodeUnavailableError, relayTransfer(node, { request: {} as never }));
    expect(down.kind).toBe("failure");
  });
});
