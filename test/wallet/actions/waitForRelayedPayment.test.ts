// waitForRelayedPayment and cancelAuthorization against the node's real relayer (its fastify routes on
// loopback, test/node/relayer/fixture.ts): two payers racing one open invoice are one paid and one told that
// its authorization was not used; an answer the chain does not know is RELAY_TX_UNKNOWN with the
// authorization's validBefore; cancelAuthorization then makes the authorization unusable.
import { type Address, keccak256, type LocalAccount, parseEther, stringToHex, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gramTokenAbi } from "../../../protocol/abis.ts";
import { cancelAuthorization } from "../../../wallet/actions/cancelAuthorization.ts";
import { signGaslessTransfer } from "../../../wallet/actions/signGaslessTransfer.ts";
import { signPayWithAuthorization } from "../../../wallet/actions/signPayWithAuthorization.ts";
import { waitForRelayedPayment } from "../../../wallet/actions/waitForRelayedPayment.ts";
import { AuthorizationUsedError, RelayError, RelayedPaymentError } from "../../../wallet/errors.ts";
import { createNodeClient } from "../../../wallet/node/createNodeClient.ts";
import { http as nodeHttp } from "../../../wallet/node/http.ts";
import { relayPay } from "../../../wallet/node/relayPay.ts";
import { relayTransfer } from "../../../wallet/node/relayTransfer.ts";
import { payerClient, startRelayingServer } from "../../kit/relaying.ts";
import { failure } from "../../kit/wallet-helpers.ts";

let stack: Awaited<ReturnType<typeof startRelayingServer>>;
beforeAll(async () => {
  stack = await startRelayingServer();
}, 120_000);
afterAll(() => stack?.close());

const clientOf = (account: LocalAccount) => payerClient(stack.chain, account);

const nodeAt = (url: string) => createNodeClient({ transport: nodeHttp(url) });

const authorizationState = (authorizer: Address, nonce: `0x${string}`) =>
  stack.chain.client.readContract({
    address: stack.chain.token,
    abi: gramTokenAbi,
    functionName: "authorizationState",
    args: [authorizer, nonce],
  });

describe("waitForRelayedPayment", () => {
  it("two payers race one open invoice: one is paid; the other's authorization was not used, and it says so", async () => {
    const { relaying, server } = stack;
    const [a, b] = [await relaying.payer("racer a"), await relaying.payer("racer b")];
    const signed = await relaying.invoice({ amount: 5_000_000_000n });
    const requests = await Promise.all(
      [a, b].map(async (account) => ({
        account,
        client: await clientOf(account),
        request: (
          await signPayWithAuthorization(await clientOf(account), {
            invoice: signed.invoice,
            merchantSignature: signed.merchantSignature,
          })
        ).request,
      })),
    );
    // Both reach the relayer at the same moment.
    const answers = await Promise.allSettled(requests.map(({ request }) => relayPay(nodeAt(server.url), { request })));
    const outcomes = await Promise.allSettled(
      answers.map((answer, i) => {
        if (answer.status === "rejected") return Promise.reject(answer.reason);
        const { client, request } = requests[i] as (typeof requests)[number];
        return waitForRelayedPayment(client, { txHash: answer.value.txHash, request });
      }),
    );
    const paid = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [{ ...o.value, who: requests[i] }] : []));
    expect(paid).toHaveLength(1);
    const winner = paid[0]?.who?.account.address as Address;
    const loserIndex = outcomes.findIndex((o) => o.status === "rejected");
    const loser = requests[loserIndex] as (typeof requests)[number];
    const reason = (outcomes[loserIndex] as PromiseRejectedResult).reason;
    // Today's relayer answers the second payer with the first one's transaction; one that refuses it
    // itself ("already paid by 0x…") is as good: never paid.
    if (reason instanceof RelayError) {
      expect(reason.message).toContain(`paid by ${winner}`);
    } else {
      expect(reason).toBeInstanceOf(RelayedPaymentError);
      expect(reason).toMatchObject({
        code: "RELAY_TX_NOT_YOURS",
        kind: "failure",
        txHash: paid[0]?.transactionHash,
        nonce: signed.id,
        validBefore: BigInt(loser.request.validBefore),
        authorizationUsed: false,
      });
      expect(reason.shortMessage).toContain(
        `invoice ${signed.id} was paid by ${winner} in ${paid[0]?.transactionHash}; your authorization was not used`,
      );
    }
    expect(await relaying.balanceOf(loser.account.address)).toBe(1_000_000_000_000n);
    expect(await authorizationState(loser.account.address, signed.id)).toBe(false);
  });

  it("a transaction the chain does not know is RELAY_TX_UNKNOWN; cancelAuthorization then makes the authorization unusable", async () => {
    const { chain, relaying, server } = stack;
    const account = await relaying.payer("canceler");
    // The cancellation is a transaction of the payer's own: it needs ETH.
    await chain.client.request({
      method: "eth_sendTransaction" as never,
      params: [{ from: chain.owner, to: account.address, value: toHex(parseEther("1")) }] as never,
    });
    const client = await clientOf(account);
    const { request } = await signGaslessTransfer(client, { to: chain.owner, amount: "2" });
    const nowhere = keccak256(stringToHex("a transaction nobody sent"));
    const unknown = await failure(
      RelayedPaymentError,
      waitForRelayedPayment(client, { txHash: nowhere, request, lookupMs: 500 }),
    );
    expect(unknown).toMatchObject({
      code: "RELAY_TX_UNKNOWN",
      txHash: nowhere,
      nonce: request.nonce,
      validBefore: BigInt(request.validBefore),
      authorizationUsed: false,
    });
    const until = new Date(Number(request.validBefore) * 1000).toISOString().replace(".000Z", "Z");
    expect(unknown.shortMessage).toBe(
      `the relayer answered with transaction ${nowhere}, which the chain does not know after 0.5 s; your authorization was not used; it stays valid until ${until}`,
    );
    expect(unknown.hint).toBe(
      `cancel it with \`gram authorization cancel ${request.nonce}\` (a transaction from your account: it needs ETH for gas), or let it expire`,
    );

    const shown: unknown[] = [];
    const canceled = await cancelAuthorization(client, {
      nonce: request.nonce as `0x${string}`,
      confirm: (summary) => shown.push(summary) > 0,
    });
    expect(shown).toEqual([canceled.summary]);
    expect(canceled.summary).toMatchObject({
      action: "cancelAuthorization",
      kind: "transaction",
      from: account.address,
    });
    expect((await chain.client.waitForTransactionReceipt({ hash: canceled.hash })).status).toBe("success");
    expect(await authorizationState(account.address, request.nonce as `0x${string}`)).toBe(true);

    const refused = await failure(RelayError, relayTransfer(nodeAt(server.url), { request }));
    expect(refused.code).toBe("RELAY_NONCE_USED");
    await failure(AuthorizationUsedError, cancelAuthorization(client, { nonce: request.nonce as `0x${string}` }));
  });
});
