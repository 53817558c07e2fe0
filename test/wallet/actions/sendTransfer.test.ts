import { network } from "hardhat";
import { afterAll, describe, expect, it } from "vitest";
import { gram } from "../../../scripts/lib/contracts-fixture.ts";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { addContact } from "../../../wallet/contacts/addContact.ts";
import { InsufficientBalanceError, InvalidAmountError, RejectedError } from "../../../wallet/errors.ts";
import { nonceFile, readStoredNonce } from "../../../wallet/nonce/withNonce.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { sendAndCheck, setUpChain } from "../../kit/wallet-chain.ts";
import { failure } from "../../kit/wallet-helpers.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);
const { f } = chain;
const payer = addressOf("payer");
const other = addressOf("other");

describe("sendTransfer", () => {
  it("moves exactly the amount, shows what it signs, and records the next nonce", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const [fromBefore, toBefore] = [await chain.balanceOf(payer), await chain.balanceOf(other)];
    const shown: unknown[] = [];
    const sent = await sendAndCheck(chain, client, () =>
      sendTransfer(client, { to: other, amount: "12.345678901", confirm: (s) => shown.push(s) > 0 }),
    );
    expect(await chain.balanceOf(payer)).toBe(fromBefore - gram("12.345678901"));
    expect(await chain.balanceOf(other)).toBe(toBefore + gram("12.345678901"));
    expect(shown).toEqual([sent.summary]);
    expect(sent.summary).toMatchObject({
      kind: "transaction",
      action: "transfer",
      chainId: f.chainId,
      recipient: other,
      knownContract: "token",
      token: { address: chain.token, symbol: "GRAM", decimals: 9 },
      amount: { units: gram("12.345678901"), formatted: "12.345678901" },
    });
    expect(sent.summary.fee?.max.units).toBe((sent.summary.fee?.gas ?? 0n) * (sent.summary.fee?.maxFeePerGas ?? 0n));
    expect(sent.receipt.effectiveGasPrice).toBeLessThanOrEqual(sent.summary.fee?.maxFeePerGas ?? 0n);
    expect((await readStoredNonce(nonceFile(client.home, f.chainId, payer)))?.next).toBe(sent.nonce + 1);
  });

  it("resolves @name from the contacts", async () => {
    const client = await chain.clientFor(ROLE.payer);
    await addContact({ home: client.home, name: "bob", address: other });
    const before = await chain.balanceOf(other);
    const { summary } = await sendAndCheck(chain, client, () => sendTransfer(client, { to: "@bob", amount: "1" }));
    expect(summary.recipient).toBe(other);
    expect(await chain.balanceOf(other)).toBe(before + gram("1"));
  });

  it("consecutive sends take consecutive nonces", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const a = await sendTransfer(client, { to: other, amount: "1" });
    const b = await sendTransfer(client, { to: other, amount: "1" });
    expect(b.nonce).toBe(a.nonce + 1);
  });

  it("a declined summary signs nothing and uses no nonce", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const nonce = await chain.publicClient.getTransactionCount({ address: payer });
    const before = await chain.balanceOf(payer);
    await failure(RejectedError, sendTransfer(client, { to: other, amount: "1", confirm: () => false }));
    expect(await chain.publicClient.getTransactionCount({ address: payer, blockTag: "pending" })).toBe(nonce);
    expect(await readStoredNonce(nonceFile(client.home, f.chainId, payer))).toBeUndefined();
    expect(await chain.balanceOf(payer)).toBe(before);
  });

  it("refuses more than the balance, saying how much there is", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const error = await failure(InsufficientBalanceError, sendTransfer(client, { to: other, amount: "2000000" }));
    expect(error.shortMessage).toMatch(/^balance is [0-9.]+ GRAM; 2000000 GRAM needed$/);
  });

  it("refuses malformed and zero amounts with the codec's reason", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const tooPrecise = await failure(InvalidAmountError, sendTransfer(client, { to: other, amount: "1.0000000001" }));
    expect(tooPrecise.reason).toBe("too_many_decimals");
    expect(tooPrecise.shortMessage).toBe("amount: amount '1.0000000001' has 10 decimals; GRAM allows at most 9");
    expect((await failure(InvalidAmountError, sendTransfer(client, { to: other, amount: "0" }))).reason).toBe("zero");
    expect((await failure(InvalidAmountError, sendTransfer(client, { to: other, amount: "1e3" }))).reason).toBe(
      "exponent",
    );
  });
});
