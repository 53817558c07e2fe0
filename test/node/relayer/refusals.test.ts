// The relayer refuses bad, expired, replayed and unaffordable authorizations, bad invoices and bad HTTP
// input — each with its code and a clear message, and without spending gas: the relayer's ETH balance
// and nonce are the same after every refusal.
import Fastify from "fastify";
import { type Address, encodeFunctionData, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayPlugin } from "../../../node/relayer/routes.ts";
import { merchantEscrowAbi } from "../../../protocol/abis.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import type { TestChain } from "../../kit/chain.ts";
import {
  chainTime,
  type HttpAnswer,
  type RelayerServer,
  type Relaying,
  expectRefused as refused,
  startRelayingServer,
} from "../../kit/relaying.ts";

let chain: TestChain;
let relaying: Relaying;
let server: RelayerServer;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ chain, relaying, server, close } = await startRelayingServer());
});
afterAll(() => close?.());

const recipient = () => chain.holders[0] as Address;

/** Sends the request and asserts the refusal, and that the relayer spent nothing on it. */
const expectRefused = (send: () => Promise<HttpAnswer>, expected: Parameters<typeof refused>[2]) =>
  refused(relaying, send, expected);

describe("transfer authorizations", () => {
  it("refuses a signature with a flipped byte", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    const flipped = `${request.signature.slice(0, 10)}${request.signature[10] === "0" ? "1" : "0"}${request.signature.slice(11)}`;
    await expectRefused(() => server.post("/v1/relay/transfer", { ...request, signature: flipped }), {
      code: "INVALID_SIGNATURE",
      message: `the authorization is not signed by ${alice.address}`,
    });
  });

  it("refuses an authorization signed by someone other than `from`", async () => {
    const alice = await relaying.payer("alice");
    const mallory = await relaying.payer("mallory", 0n);
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, signer: mallory });
    const answer = await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "INVALID_SIGNATURE",
      message: `the authorization is not signed by ${alice.address}`,
    });
    expect(answer.json.error.message).not.toContain(mallory.address);
  });

  it("refuses an authorization signed for another chain", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, chainId: 1 });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "WRONG_CHAIN",
      message: `this relayer serves chain ${chain.chainId}, not chain 1`,
    });
  });

  it("refuses a token it does not relay", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, token: chain.escrow });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "UNKNOWN_TOKEN",
      message: `this relayer does not relay token ${chain.escrow}`,
    });
  });

  it("refuses an expired authorization", async () => {
    const alice = await relaying.payer("alice");
    const now = BigInt(await chainTime(chain));
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, validBefore: now - 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "AUTHORIZATION_EXPIRED",
      message: /^the authorization expired at \d{4}-/,
    });
  });

  it("refuses an authorization expiring within the 30 s safety margin", async () => {
    const alice = await relaying.payer("alice");
    const now = BigInt(await chainTime(chain));
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, validBefore: now + 10n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "AUTHORIZATION_EXPIRED",
      message: /less than 30 s from now: too soon to be mined safely$/,
    });
  });

  it("refuses an authorization that is not valid yet", async () => {
    const alice = await relaying.payer("alice");
    const now = BigInt(await chainTime(chain));
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n, validAfter: now + 600n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "AUTHORIZATION_NOT_YET_VALID",
      message: /^the authorization is valid only after \d{4}-/,
    });
  });

  it("refuses a replayed authorization whose nonce was already used on chain", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    // Someone else submitted it first, straight to the token.
    await chain.assertMined(
      await chain.send(
        chain.owner,
        chain.token,
        chain.tokenCall("transferWithAuthorization", [
          request.from,
          request.to,
          BigInt(request.value),
          BigInt(request.validAfter),
          BigInt(request.validBefore),
          request.nonce,
          request.signature,
        ]),
      ),
    );
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "NONCE_USED",
      message: `${alice.address} has already used or canceled the authorization nonce ${request.nonce}`,
    });
  });

  it("refuses an authorization whose nonce the payer canceled", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    await relaying.cancelOnChain(alice, request.nonce as Hex);
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "NONCE_USED",
      message: "has already used or canceled the authorization nonce",
    });
  });

  it("refuses a validity window in block numbers", async () => {
    const alice = await relaying.payer("alice");
    const flag = 1n << 47n;
    const request = await relaying.signTransfer(alice, {
      to: recipient(),
      value: 1n,
      validAfter: flag,
      validBefore: flag | 1_000_000n,
    });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "BAD_REQUEST",
      message: "the relayer takes validity windows in seconds, not block numbers",
    });
  });

  it("refuses an authorization that moves more than the payer holds", async () => {
    const alice = await relaying.payer("alice", 1_000n);
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1_001n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "INSUFFICIENT_BALANCE",
      message: `${alice.address} holds 1000 base units, the authorization moves 1001`,
    });
  });

  it("refuses what only the simulation catches, naming the contract's error", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: "0x0000000000000000000000000000000000000000", value: 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "BAD_REQUEST",
      message: "the transaction would revert with ERC20InvalidReceiver(0x0000000000000000000000000000000000000000)",
    });
  });
});

describe("invoice payments", () => {
  it("refuses an expired invoice", async () => {
    const bob = await relaying.payer("bob");
    const signed = await relaying.invoice({ payBefore: (await chainTime(chain)) - 10 });
    const request = await relaying.signPay(bob, signed);
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INVOICE_INVALID",
      message: /^the invoice expired at \d{4}-/,
    });
  });

  it("refuses a tip above the invoice's maxTip", async () => {
    const bob = await relaying.payer("bob");
    const signed = await relaying.invoice({ maxTip: 5n });
    const request = await relaying.signPay(bob, signed, { tip: 6n });
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INVOICE_INVALID",
      message: "the tip 6 is above the invoice's maxTip 5",
    });
  });

  it("refuses a payer other than the one the invoice names", async () => {
    const bob = await relaying.payer("bob");
    const carol = await relaying.payer("carol");
    const signed = await relaying.invoice({ payer: carol.address });
    const request = await relaying.signPay(bob, signed);
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INVOICE_INVALID",
      message: `the invoice may be paid only by ${carol.address}, not ${bob.address}`,
    });
  });

  it("refuses an invoice someone has already paid, naming who", async () => {
    const bob = await relaying.payer("bob");
    const signed = await relaying.invoice({});
    // A holder (who approved the escrow) pays it directly first.
    await chain.assertMined(
      await chain.send(chain.holders[1] as Address, chain.escrow, escrowPay(signed.invoice, signed.merchantSignature)),
    );
    const request = await relaying.signPay(bob, signed);
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INVOICE_INVALID",
      message: `invoice number ${signed.invoice.nonce} of ${signed.invoice.merchant} is already paid by ${chain.holders[1]}`,
    });
  });

  it("refuses an invoice the merchant did not sign", async () => {
    const bob = await relaying.payer("bob");
    const signed = await relaying.invoice({});
    const other = await relaying.invoice({});
    const request = await relaying.signPay(bob, {
      invoice: signed.invoice,
      merchantSignature: other.merchantSignature,
    });
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INVOICE_INVALID",
      message: `the invoice is not signed by ${signed.invoice.merchant}`,
    });
  });

  it("refuses a payment the payer cannot afford", async () => {
    const bob = await relaying.payer("bob", 100n);
    const signed = await relaying.invoice({ amount: 100n, maxTip: 1n });
    const request = await relaying.signPay(bob, signed, { tip: 1n });
    await expectRefused(() => server.post("/v1/relay/pay", request), {
      code: "INSUFFICIENT_BALANCE",
      message: `${bob.address} holds 100 base units, the authorization moves 101`,
    });
  });

  it("refuses a payer signature over another amount", async () => {
    const bob = await relaying.payer("bob");
    const signed = await relaying.invoice({ maxTip: 10n });
    const request = await relaying.signPay(bob, signed, { tip: 1n });
    await expectRefused(() => server.post("/v1/relay/pay", { ...request, tip: "2" }), {
      code: "INVALID_SIGNATURE",
      message: `the authorization is not signed by ${bob.address}`,
    });
  });

  it("refuses another escrow", async () => {
    const bob = await relaying.payer("bob");
    const request = await relaying.signPay(bob, await relaying.invoice({}));
    await expectRefused(() => server.post("/v1/relay/pay", { ...request, escrow: chain.token }), {
      code: "INVOICE_INVALID",
      message: `this relayer pays through the escrow ${chain.escrow}, not ${chain.token}`,
    });
  });
});

describe("HTTP input", () => {
  it("refuses malformed JSON", async () => {
    await expectRefused(() => server.post("/v1/relay/transfer", '{"chainId": 31337,', { raw: true }), {
      code: "BAD_REQUEST",
      message: "the body is not valid JSON",
    });
  });

  it("refuses a missing field, naming it", async () => {
    const alice = await relaying.payer("alice");
    const { signature: _, ...request } = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", request), {
      code: "BAD_REQUEST",
      message: /^signature: /,
    });
  });

  it("refuses a missing nested field, naming its path", async () => {
    const bob = await relaying.payer("bob");
    const request = await relaying.signPay(bob, await relaying.invoice({}));
    const { maxTip: _, ...invoice } = request.invoice;
    await expectRefused(() => server.post("/v1/relay/pay", { ...request, invoice }), {
      code: "BAD_REQUEST",
      message: /^invoice\.maxTip: /,
    });
  });

  it("refuses extra fields", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", { ...request, gasPrice: "1" }), {
      code: "BAD_REQUEST",
      message: /gasPrice/,
    });
  });

  it("refuses a bad value, with the schema's message", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", { ...request, value: "-1" }), {
      code: "BAD_REQUEST",
      message: "value: expected a non-negative integer as a decimal string",
    });
  });

  it("refuses a body that is not an object", async () => {
    await expectRefused(() => server.post("/v1/relay/pay", [1, 2, 3]), { code: "BAD_REQUEST", message: /^body: / });
  });

  it("refuses an oversized body with 413", async () => {
    const alice = await relaying.payer("alice");
    const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
    await expectRefused(() => server.post("/v1/relay/transfer", { ...request, padding: "x".repeat(20_000) }), {
      status: 413,
      code: "BAD_REQUEST",
      message: "the body is larger than 16384 bytes",
    });
  });

  it("refuses a body of another media type with 415", async () => {
    await expectRefused(
      () =>
        server.post("/v1/relay/transfer", "chainId=1", {
          raw: true,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      { status: 415, code: "BAD_REQUEST", message: "the body must be application/json" },
    );
  });

  it("refuses a text body as not an object", async () => {
    await expectRefused(
      () => server.post("/v1/relay/transfer", "chainId=1", { raw: true, headers: { "content-type": "text/plain" } }),
      { code: "BAD_REQUEST", message: /^body: .*expected object/ },
    );
  });
});

describe("relayPlugin", () => {
  it("keeps the relayer's error handling under a server with its own", async () => {
    const app = Fastify();
    app.setErrorHandler((_error, _request, reply) =>
      reply.status(500).send({ error: { code: "HOST", message: "host" } }),
    );
    await app.register(relayPlugin(server.relayer));
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const response = await fetch(`${url}/v1/relay/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 400,
        body: { error: { code: "BAD_REQUEST", message: "the body is not valid JSON" } },
      });
    } finally {
      await app.close();
    }
  });
});

describe("rate limits", () => {
  it("answers 429 once a payer has used its requests for the minute with requests it signed", async () => {
    const limited = await relaying.startRelayer({ perPayerPerMinute: 3 });
    try {
      const dave = await relaying.payer("dave");
      const now = BigInt(await chainTime(chain));
      for (let i = 0; i < 3; i++) {
        const expired = await relaying.signTransfer(dave, { to: recipient(), value: 1n, validBefore: now - 1n });
        expect((await limited.post("/v1/relay/transfer", expired)).json.error.code).toBe("AUTHORIZATION_EXPIRED");
      }
      const valid = await relaying.signTransfer(dave, { to: recipient(), value: 1n });
      const answer = await expectRefused(() => limited.post("/v1/relay/transfer", valid), {
        status: 429,
        code: "RATE_LIMITED",
        message: `${dave.address} is relaying too often: try again in 20 s`,
      });
      expect(answer.headers.get("retry-after")).toBe("20");
      // Another payer is not affected.
      const erin = await relaying.payer("erin");
      const other = await limited.post(
        "/v1/relay/transfer",
        await relaying.signTransfer(erin, { to: recipient(), value: 1n }),
      );
      expect(other.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

function escrowPay(invoice: Invoice, signature: Hex): Hex {
  return encodeFunctionData({ abi: merchantEscrowAbi, functionName: "pay", args: [invoice, signature, 0n] });
}
