// What `gram` says of a gasless payment, against a real `gram-node` relayer and stand-ins for a relayer
// that lies: "paid" only when the receipt shows this wallet's own authorization used (and, for an invoice,
// the invoice paid by this account); a transaction the chain does not know is reported within seconds,
// with the time until which the signed authorization stays valid, and `gram authorization cancel` makes
// that authorization unusable.
import { type Address, type Hex, keccak256, parseUnits, stringToHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gramTokenAbi, merchantEscrowAbi } from "../../../protocol/abis.ts";
import { killAll } from "../../../scripts/lib/spawn-gram-node.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import {
  type CliChain,
  jsonOf,
  keyMaterialLeaks,
  SECRETS,
  startCliChain,
  startRelayingNode,
} from "../../kit/cli-chain.ts";
import { startBarrier, startLyingRelayer } from "../../kit/relayer-stand-in.ts";

let chain: CliChain;
let served: Awaited<ReturnType<typeof startRelayingNode>>;
const home = { payer: "", other: "", merchant: "" };
const payer = localAccount(ROLE.payer).address;
const other = localAccount(ROLE.other).address;
const merchant = localAccount(ROLE.merchant).address;
const GRAM = (text: string) => parseUnits(text, 9);

beforeAll(async () => {
  chain = await startCliChain();
  home.payer = await chain.homeWith(ROLE.payer);
  home.other = await chain.homeWith(ROLE.other);
  home.merchant = await chain.homeWith(ROLE.merchant);
  served = await startRelayingNode(chain);
  await served.synced();
}, 120_000);
afterAll(async () => {
  await served?.stop();
  killAll();
  await chain?.close();
});

const signing = () => ["--password-file", chain.passwordFile, "--yes", "--json"];
const as = (who: keyof typeof home, args: string[]) => chain.gram([...args, ...signing()], { home: home[who] });
const authorizationState = (authorizer: Address, nonce: Hex) =>
  chain.client.readContract({
    address: chain.token,
    abi: gramTokenAbi,
    functionName: "authorizationState",
    args: [authorizer, nonce],
  });
/** validBefore as the wallet prints it. */
const iso = (validBefore: string) => new Date(Number(validBefore) * 1000).toISOString().replace(".000Z", "Z");

async function invoice(amount: string, title: string, more: string[] = []) {
  const created = jsonOf(await as("merchant", ["invoice", "create", amount, "--title", title, ...more]));
  expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
  return { link: created.link as string, id: created.id as Hex };
}

describe("a gasless payment is paid only when its receipt uses this wallet's authorization", () => {
  it("two payers race one open invoice through the real relayer: one pays it, the other is told it paid nothing", async () => {
    const { link, id } = await invoice("5", "Open counter");
    const before = { [payer]: await chain.balanceOf(payer), [other]: await chain.balanceOf(other) };
    // Both have checked the invoice unpaid and signed before the relayer sees either.
    const barrier = await startBarrier(served.url, 2);
    try {
      const runs = await Promise.all(
        (["payer", "other"] as const).map((who) => as(who, ["pay", link, "--gasless", "--node", barrier.url])),
      );
      expect(barrier.requests).toHaveLength(2);
      const winner = await chain.client.readContract({
        address: chain.escrow,
        abi: merchantEscrowAbi,
        functionName: "openInvoicePayer",
        args: [id],
      });
      expect([payer, other]).toContain(winner);
      const loser = winner === payer ? other : payer;
      const [won, lost] = winner === payer ? runs : [runs[1], runs[0]];
      if (won === undefined || lost === undefined) throw new Error("two runs expected");

      expect(won.code, won.stdout).toBe(0);
      const paid = jsonOf(won);
      expect(paid).toMatchObject({ ok: true, id, method: "gasless", status: "success" });
      expect(await chain.balanceOf(winner)).toBe((before[winner] as bigint) - GRAM("5"));

      // Today's relayer answers the second payer with the first one's transaction; the wallet sees that its
      // own authorization was not used. (A relayer that refuses the second payer itself, "already paid by
      // 0x…", is as good: never "paid".)
      expect(lost.code).not.toBe(0);
      const refused = jsonOf(lost);
      expect(refused.ok).toBe(false);
      const error = refused.error as { code: string; message: string; hint?: string };
      expect(error.code).toMatch(/^RELAY_/);
      expect(error.message).toContain(`paid by ${winner}`);
      if (error.code === "RELAY_TX_NOT_YOURS") {
        expect(lost.code).toBe(2);
        expect(error.message).toBe(
          `invoice ${id} was paid by ${winner} in ${paid.hash}; your authorization was not used; it stays valid until ${iso(
            barrier.requests.find((r) => r.body.payer === loser)?.body.validBefore,
          )}`,
        );
        expect(error.hint).toContain(`gram authorization cancel ${id}`);
      }
      expect(await chain.balanceOf(loser)).toBe(before[loser]);
      expect(await authorizationState(loser, id)).toBe(false);
    } finally {
      await barrier.close();
    }
  });

  it("a relayer that answers with someone else's transaction (a lying stand-in) is never reported as paid", async () => {
    // Someone else's real gasless transfer, through the real relayer.
    const theirs = jsonOf(await as("other", ["send", merchant, "1", "--gasless", "--node", served.url]));
    expect(theirs).toMatchObject({ ok: true, status: "success" });
    const liar = await startLyingRelayer(() => theirs.hash as string);
    try {
      const before = await chain.balanceOf(payer);
      // As a person reads it.
      const text = await chain.gram(
        ["send", merchant, "2", "--gasless", "--node", liar.url, "--password-file", chain.passwordFile, "--yes"],
        {
          home: home.payer,
        },
      );
      const sent = liar.requests[0]?.body;
      expect(text.code, text.stdout).toBe(2);
      expect(text.stdout).toBe("");
      expect(text.stderr).toContain(
        `gram: the relayer answered with transaction ${theirs.hash}, which does not use your authorization; your authorization was not used; it stays valid until ${iso(sent.validBefore)}\n`,
      );
      expect(text.stderr).toContain(
        `  hint: cancel it with \`gram authorization cancel ${sent.nonce}\` (a transaction from your account: it needs ETH for gas), or let it expire\n`,
      );
      expect(text.stderr).toContain("  code: RELAY_TX_NOT_YOURS\n");
      expect(await chain.balanceOf(payer)).toBe(before);
      expect(await authorizationState(payer, sent.nonce)).toBe(false);

      // An invoice payment answered with the same transaction.
      const { link, id } = await invoice("3", "Not this one", ["--payer", payer]);
      const run = await as("payer", ["pay", link, "--gasless", "--node", liar.url]);
      expect(run.code).toBe(2);
      expect(jsonOf(run).error).toMatchObject({
        code: "RELAY_TX_NOT_YOURS",
        message: `the relayer answered with transaction ${theirs.hash}, which does not pay invoice ${id} with your authorization; your authorization was not used; it stays valid until ${iso(liar.requests[1]?.body.validBefore)}`,
      });
      expect(await chain.balanceOf(payer)).toBe(before);
    } finally {
      await liar.close();
    }
  });

  it("a relayer whose transaction the chain does not know: RELAY_TX_UNKNOWN with validBefore, and `gram authorization cancel` makes the authorization unusable", async () => {
    const liar = await startLyingRelayer(() => keccak256(stringToHex(`nowhere ${Math.random()}`)));
    let request: { nonce: Hex; validBefore: string } & Record<string, unknown>;
    try {
      const before = await chain.balanceOf(payer);
      const run = await as("payer", ["send", other, "3", "--gasless", "--node", liar.url]);
      request = liar.requests[0]?.body;
      expect(run.code).toBe(2);
      const { error } = jsonOf(run) as unknown as { error: Record<string, string> };
      expect(error.code).toBe("RELAY_TX_UNKNOWN");
      expect(error.message).toMatch(
        /^the relayer answered with transaction 0x[0-9a-f]{64}, which the chain does not know after 10 s; /,
      );
      expect(error.message).toContain(
        `your authorization was not used; it stays valid until ${iso(request.validBefore)}`,
      );
      expect(error.hint).toContain(`gram authorization cancel ${request.nonce}`);
      expect(error.details).toContain(`validBefore ${request.validBefore}`);
      expect(await chain.balanceOf(payer)).toBe(before);
    } finally {
      await liar.close();
    }

    // The authorization is still good: anyone holding it could submit it. The payer cancels it.
    expect(await authorizationState(payer, request.nonce)).toBe(false);
    const canceled = jsonOf(await as("payer", ["authorization", "cancel", request.nonce]));
    expect(canceled).toMatchObject({
      ok: true,
      command: "authorization cancel",
      authorizer: payer,
      nonce: request.nonce,
      token: chain.token,
      status: "success",
      summary: { action: "cancelAuthorization", kind: "transaction", from: payer, contract: chain.token },
    });
    expect(await authorizationState(payer, request.nonce)).toBe(true);

    // A later relay of it is refused, and there is nothing left to cancel.
    const relayed = await fetch(`${served.url}/v1/relay/transfer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    expect(relayed.status).toBe(400);
    expect(((await relayed.json()) as { error: { code: string } }).error.code).toBe("NONCE_USED");
    const again = await as("payer", ["authorization", "cancel", request.nonce]);
    expect(again.code).toBe(1);
    expect(jsonOf(again).error).toMatchObject({ code: "AUTHORIZATION_USED" });
    const bad = await as("payer", ["authorization", "cancel", "0x1234"]);
    expect(bad.code).toBe(1);
    expect(jsonOf(bad).error).toMatchObject({ code: "INVALID_NONCE" });
  });

  it("an honest relayer's answer is paid as before (the receipt uses the authorization)", async () => {
    const before = await chain.balanceOf(other);
    const sent = jsonOf(await as("payer", ["send", other, "1.5", "--gasless", "--node", served.url]));
    expect(sent).toMatchObject({ ok: true, gasless: true, status: "success" });
    expect(await chain.balanceOf(other)).toBe(before + GRAM("1.5"));
  });
});

it("no key material in any output", () => {
  expect(keyMaterialLeaks(SECRETS)).toEqual([]);
});
