// The relayer is no free faucet: zero and dust amounts, transactions above a route's gas ceiling, contract
// signers (payers or merchants) whose ERC-1271 check burns gas, a spent hourly budget and too many
// requests from one IP are all refused before any gas is spent — the relayer's ETH and nonce are the
// same after each — and requests nobody signed cannot use up a payer's rate limit.
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RelayerLimits } from "../../../node/relayer/limits.ts";
import type { RelayTransferRequestJson } from "../../../protocol/relay.ts";
import type { TestChain } from "../../kit/chain.ts";
import { expectRefused, type HttpAnswer, type Relaying, startRelayingServer } from "../../kit/relaying.ts";

let chain: TestChain;
let relaying: Relaying;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ chain, relaying, close } = await startRelayingServer());
});
afterAll(() => close?.());

const recipient = () => chain.holders[0] as Address;
const refused = (send: () => Promise<HttpAnswer>, expected: Parameters<typeof expectRefused>[2]) =>
  expectRefused(relaying, send, expected);

/** Runs `body` against a relayer of its own with `limits`, closed afterwards. */
async function withRelayer(
  limits: Partial<RelayerLimits>,
  body: (server: Awaited<ReturnType<Relaying["startRelayer"]>>) => Promise<void>,
  options: { perPayerPerMinute?: number } = {},
) {
  const server = await relaying.startRelayer({ limits, ...options });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

describe("amounts", () => {
  it("refuses a transfer of nothing", async () => {
    await withRelayer({}, async (server) => {
      const alice = await relaying.payer("alice");
      const request = await relaying.signTransfer(alice, { to: recipient(), value: 0n });
      await refused(() => server.post("/v1/relay/transfer", request), {
        code: "AMOUNT_TOO_SMALL",
        message: "the authorization moves nothing: this relayer pays gas only to move tokens",
      });
    });
  });

  it("refuses dust below the default minimum, a thousandth of one token, and relays the minimum", async () => {
    await withRelayer({ minAmount: {} }, async (server) => {
      const alice = await relaying.payer("alice");
      const dust = await relaying.signTransfer(alice, { to: recipient(), value: 999_999n });
      await refused(() => server.post("/v1/relay/transfer", dust), {
        code: "AMOUNT_TOO_SMALL",
        message: `the authorization moves 999999 base units, below this relayer's minimum of 1000000 for token ${chain.token}`,
      });
      const enough = await relaying.signTransfer(alice, { to: recipient(), value: 1_000_000n });
      expect((await server.post("/v1/relay/transfer", enough)).status).toBe(200);
    });
  });

  it("refuses an invoice payment whose amount and tip are below the token's configured minimum", async () => {
    await withRelayer({ minAmount: { tokens: { [chain.token]: 500n } } }, async (server) => {
      const bob = await relaying.payer("bob");
      const request = await relaying.signPay(bob, await relaying.invoice({ amount: 400n, maxTip: 99n }), { tip: 99n });
      await refused(() => server.post("/v1/relay/pay", request), {
        code: "AMOUNT_TOO_SMALL",
        message: `the authorization moves 499 base units, below this relayer's minimum of 500 for token ${chain.token}`,
      });
    });
  });
});

describe("gas ceilings", () => {
  it("refuses a transfer whose estimate is above the route's ceiling, with the figure", async () => {
    await withRelayer({ maxGas: { transfer: 50_000n, pay: 200_000n } }, async (server) => {
      const alice = await relaying.payer("alice");
      const request = await relaying.signTransfer(alice, { to: recipient(), value: 1n });
      const answer = await refused(() => server.post("/v1/relay/transfer", request), {
        code: "GAS_TOO_HIGH",
        message: /^the transaction would take \d+ gas, above the 50000 this relayer pays for a transfer$/,
      });
      expect(Number(/take (\d+) gas/.exec(answer.json.error.message)?.[1])).toBeGreaterThan(50_000);
    });
  });

  it("refuses an invoice payment whose estimate is above the route's ceiling", async () => {
    await withRelayer({ maxGas: { transfer: 100_000n, pay: 60_000n } }, async (server) => {
      const bob = await relaying.payer("bob");
      const request = await relaying.signPay(bob, await relaying.invoice({}));
      await refused(() => server.post("/v1/relay/pay", request), {
        code: "GAS_TOO_HIGH",
        message: /^the transaction would take \d+ gas, above the 60000 this relayer pays for an invoice payment$/,
      });
    });
  });

  it("refuses a contract payer whose isValidSignature burns 11 million gas, with the figure", async () => {
    const owner = await relaying.payer("burner-owner", 0n);
    const wallet = await relaying.deployContractWallet(owner.address, { burn: 11_000_000n });
    await chain.assertMined(await chain.send(chain.owner, chain.token, chain.tokenCall("mint", [wallet, 1_000n])));
    await withRelayer({}, async (server) => {
      const request = await relaying.signTransfer(owner, { to: recipient(), value: 1n, fromAddress: wallet });
      const answer = await refused(() => server.post("/v1/relay/transfer", request), {
        code: "GAS_TOO_HIGH",
        message: new RegExp(
          `^the ERC-1271 check of the authorization by ${wallet} takes \\d+ gas, above the 100000 this relayer allows a contract signer$`,
        ),
      });
      expect(Number(/takes (\d+) gas/.exec(answer.json.error.message)?.[1])).toBeGreaterThanOrEqual(11_000_000);
    });
  });

  it("refuses an invoice of a merchant contract whose isValidSignature burns gas", async () => {
    const owner = await relaying.payer("burning-merchant-owner", 0n);
    const merchant = await relaying.deployContractWallet(owner.address, { burn: 11_000_000n });
    await withRelayer({}, async (server) => {
      const carol = await relaying.payer("carol");
      const request = await relaying.signPay(carol, await relaying.invoice({ merchant, signer: owner }));
      await refused(() => server.post("/v1/relay/pay", request), {
        code: "GAS_TOO_HIGH",
        message: new RegExp(`^the ERC-1271 check of the invoice by ${merchant} takes \\d+ gas, above the 100000`),
      });
    });
  });

  it("relays for a contract signer within its stipend, above what a key's transfer may take", async () => {
    const owner = await relaying.payer("modest-owner", 0n);
    const wallet = await relaying.deployContractWallet(owner.address, { burn: 50_000n });
    await chain.assertMined(await chain.send(chain.owner, chain.token, chain.tokenCall("mint", [wallet, 1_000n])));
    await withRelayer({}, async (server) => {
      const request = await relaying.signTransfer(owner, { to: recipient(), value: 1n, fromAddress: wallet });
      const answer = await server.post("/v1/relay/transfer", request);
      expect(answer.status).toBe(200);
      const receipt = await chain.client.getTransactionReceipt({ hash: answer.json.txHash });
      expect(receipt.status).toBe("success");
      expect(receipt.gasUsed).toBeGreaterThan(100_000n);
    });
  });
});

describe("hourly budget", () => {
  it("answers 503 with Retry-After once the hour's transactions are spent", async () => {
    await withRelayer({ maxTransactionsPerHour: 2 }, async (server) => {
      const dave = await relaying.payer("dave");
      for (const value of [1n, 2n]) {
        const request = await relaying.signTransfer(dave, { to: recipient(), value });
        expect((await server.post("/v1/relay/transfer", request)).status).toBe(200);
      }
      const third = await relaying.signTransfer(dave, { to: recipient(), value: 3n });
      const answer = await refused(() => server.post("/v1/relay/transfer", third), {
        status: 503,
        code: "RELAYER_UNAVAILABLE",
        message: /^the relayer's hourly budget is spent: 2 of 2 transactions; try again in \d+ s$/,
      });
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(3_000);
      expect(server.relayer.status().budget).toMatchObject({ transactions: 2, maxTransactions: 2 });
    });
  });

  it("answers 503 when a transaction would take the hour's ETH past its limit", async () => {
    await withRelayer({ maxWeiPerHour: 1_000n }, async (server) => {
      const erin = await relaying.payer("erin");
      const request = await relaying.signTransfer(erin, { to: recipient(), value: 1n });
      await refused(() => server.post("/v1/relay/transfer", request), {
        status: 503,
        code: "RELAYER_UNAVAILABLE",
        message:
          /^the relayer's hourly budget is spent: 0 ETH of 0\.000000000000001 ETH committed to gas, and this transaction may cost 0\.\d+ ETH; try again in \d+ s$/,
      });
    });
  });
});

describe("rate limits", () => {
  it("answers 429 past the requests one IP may make in a minute, counted before any check", async () => {
    await withRelayer({ perIpPerMinute: 3 }, async (server) => {
      for (let i = 0; i < 3; i++) {
        expect((await server.post("/v1/relay/transfer", { junk: i })).status).toBe(400);
      }
      const frank = await relaying.payer("frank");
      const request = await relaying.signTransfer(frank, { to: recipient(), value: 1n });
      const answer = await refused(() => server.post("/v1/relay/transfer", request), {
        status: 429,
        code: "RATE_LIMITED",
        message: "more than 3 relay requests a minute from 127.0.0.1: try again in 20 s",
      });
      expect(answer.headers.get("retry-after")).toBe("20");
    });
  });

  it("does not let requests with a bad signature use up a payer's limit", async () => {
    await withRelayer(
      {},
      async (server) => {
        const grace = await relaying.payer("grace");
        const mallory = await relaying.payer("mallory", 0n);
        for (let i = 0; i < 10; i++) {
          // Junk naming grace as the payer, signed by someone else.
          const junk: RelayTransferRequestJson = await relaying.signTransfer(grace, {
            to: recipient(),
            value: 1n,
            signer: mallory,
          });
          await refused(() => server.post("/v1/relay/transfer", junk), {
            code: "INVALID_SIGNATURE",
            message: `the authorization is not signed by ${grace.address}`,
          });
        }
        const valid = await relaying.signTransfer(grace, { to: recipient(), value: 1n });
        expect((await server.post("/v1/relay/transfer", valid)).status).toBe(200);
      },
      { perPayerPerMinute: 3 },
    );
  });
});
