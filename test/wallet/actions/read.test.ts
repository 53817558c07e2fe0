import { network } from "hardhat";
import { parseEther } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { readBalance } from "../../../wallet/actions/readBalance.ts";
import { readHistory } from "../../../wallet/actions/readHistory.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { mined, setUpChain } from "../../kit/wallet-chain.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);

describe("reads from the chain", () => {
  it("readBalance: the token balance with its decimals and the gas balance", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const payer = addressOf("payer");
    const balance = await readBalance(client);
    expect(balance.address).toBe(payer);
    expect(balance.token).toEqual({ address: chain.token, symbol: "GRAM", decimals: 9 });
    expect(balance.balance.units).toBe(await chain.balanceOf(payer));
    expect(balance.balance.formatted).toBe("1000000");
    expect(balance.native.symbol).toBe("ETH");
    expect(balance.native.units).toBe(await chain.publicClient.getBalance({ address: payer }));
    expect(balance.native.units).toBeLessThanOrEqual(parseEther("10000"));
    // Any address can be read without an account.
    const other = await readBalance(client, { address: addressOf("treasury") });
    expect(other.balance).toEqual({ units: 0n, formatted: "0" });
  });

  it("readHistory: transfers from and to the account, newest first, with direction and amounts", async () => {
    const alice = await chain.clientFor(ROLE.payer2);
    const bob = await chain.clientFor(ROLE.other);
    const [a, b] = [addressOf("payer2"), addressOf("other")];
    const one = await sendTransfer(alice, { to: b, amount: "1.5" });
    await mined(chain, one.hash);
    const two = await sendTransfer(bob, { to: a, amount: "0.25" });
    await mined(chain, two.hash);
    const three = await sendTransfer(alice, { to: a, amount: "2" });
    await mined(chain, three.hash);

    const { entries } = await readHistory(alice, { limit: 3 });
    expect(entries.map((e) => [e.hash, e.direction, e.counterparty, e.amount])).toEqual([
      [three.hash, "self", a, "2"],
      [two.hash, "in", b, "0.25"],
      [one.hash, "out", b, "1.5"],
    ]);
    expect(entries[0]?.units).toBe(gram("2"));
    const block = await chain.publicClient.getBlock({ blockNumber: entries[0]?.blockNumber as bigint });
    expect(entries[0]?.timestamp).toBe(Number(block.timestamp));
    // The mint in the fixture is the oldest entry.
    const all = await readHistory(alice, {});
    expect(all.entries.at(-1)).toMatchObject({
      direction: "in",
      counterparty: "0x0000000000000000000000000000000000000000",
      amount: "1000000",
    });
  });
});
