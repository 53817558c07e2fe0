import { network } from "hardhat";
import { type Address, getAddress } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import { sendTransfer } from "../../../wallet/actions/sendTransfer.ts";
import { addContact } from "../../../wallet/contacts/addContact.ts";
import { checkPaymentSafety } from "../../../wallet/summary/checkPaymentSafety.ts";
import { looksAlike } from "../../../wallet/summary/looksAlike.ts";
import { addressOf, ROLE } from "../../kit/accounts.ts";
import { mined, setUpChain } from "../../kit/wallet-chain.ts";

const connection = await network.create();
afterAll(() => connection.close());
const chain = await setUpChain(connection);

/** A different address with the same first 4 and last 4 hex digits: what an address-poisoning attacker forges. */
function lookAlikeOf(address: Address): Address {
  const hex = address.slice(2).toLowerCase();
  const middle = hex.slice(4, -4).replace(/./g, (c) => (c === "0" ? "1" : "0"));
  return getAddress(`0x${hex.slice(0, 4)}${middle}${hex.slice(-4)}`);
}

describe("looksAlike", () => {
  it("matches the same first and last 4 hex digits of a different address, in any case", () => {
    const bob = addressOf("other");
    const fake = lookAlikeOf(bob);
    expect(fake).not.toBe(bob);
    expect(looksAlike(fake, bob)).toBe(true);
    expect(looksAlike(fake.toLowerCase() as Address, bob)).toBe(true);
    expect(looksAlike(bob, bob)).toBe(false);
    expect(looksAlike(addressOf("payer"), bob)).toBe(false);
    // Only the first digit differs: not a look-alike by this rule (the ends are what people compare).
    expect(looksAlike(`0x${bob[2] === "0" ? "1" : "0"}${bob.slice(3)}` as Address, bob)).toBe(false);
  });
});

describe("checkPaymentSafety", () => {
  it("blocks a look-alike of a contact, naming the contact", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const bob = addressOf("other");
    await addContact({ home: client.home, name: "bob", address: bob });
    const fake = lookAlikeOf(bob);
    const result = await checkPaymentSafety(client, { recipient: fake });
    expect(result.blocking).toBe(true);
    expect(result.refused).toBe(false);
    expect(result.warnings).toEqual([
      {
        code: "LOOK_ALIKE",
        level: "block",
        message: `${fake} looks like your contact @bob, ${bob}, but is a different address`,
        similarTo: { address: bob, source: "contacts", name: "bob" },
      },
      { code: "FIRST_PAYMENT", level: "notice", message: `you have never paid ${fake} before` },
    ]);
  });

  it("blocks a look-alike of an address from the history", async () => {
    const client = await chain.clientFor(ROLE.payer2);
    const carol = addressOf("treasury");
    await mined(chain, (await sendTransfer(client, { to: carol, amount: "1" })).hash);
    const fake = lookAlikeOf(carol);
    const { warnings } = await checkPaymentSafety(client, { recipient: fake });
    expect(warnings.map((w) => [w.code, w.similarTo?.address, w.similarTo?.source])).toEqual([
      ["LOOK_ALIKE", carol, "history"],
      ["FIRST_PAYMENT", undefined, undefined],
    ]);
    // The real address, paid before: nothing to say.
    expect(await checkPaymentSafety(client, { recipient: carol })).toEqual({
      warnings: [],
      refused: false,
      blocking: false,
    });
  });

  it("blocks a token contract as the recipient", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const other = await connection.viem.deployContract("GramToken", [addressOf("owner")]);
    for (const recipient of [chain.token, getAddress(other.address)]) {
      const { warnings, blocking } = await checkPaymentSafety(client, { recipient });
      expect(blocking).toBe(true);
      expect(warnings[0]).toEqual({
        code: "TOKEN_CONTRACT",
        level: "block",
        message: `${recipient} is a token contract; tokens sent to it are most likely lost`,
      });
    }
  });

  it("a new recipient is only a notice", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const result = await checkPaymentSafety(client, { recipient: addressOf("arbiter") });
    expect(result).toEqual({
      warnings: [
        { code: "FIRST_PAYMENT", level: "notice", message: `you have never paid ${addressOf("arbiter")} before` },
      ],
      refused: false,
      blocking: false,
    });
  });

  it("a hub name that is no contact, never paid: a HUB_NAME notice naming close contacts, not a block", async () => {
    const client = await chain.clientFor(ROLE.payer);
    await addContact({ home: client.home, name: "alice", address: addressOf("owner") });
    const stranger = addressOf("arbiter");
    const result = await checkPaymentSafety(client, { recipient: stranger, hubName: "alicia" });
    expect(result).toEqual({
      warnings: [
        {
          code: "HUB_NAME",
          level: "notice",
          message: `~alicia is the chat hub's name for ${stranger}, not one of your contacts, and you have never paid it before: anyone may register a free name; your contact @alice is another address`,
        },
      ],
      refused: false,
      blocking: false,
    });
    // The hub's name for one of the contacts' addresses is no stranger: only the first-payment notice.
    const known = await checkPaymentSafety(client, { recipient: addressOf("owner"), hubName: "someone" });
    expect(known.warnings.map((w) => w.code)).toEqual(["FIRST_PAYMENT"]);
  });

  it("refuses a link for another chain or another token", async () => {
    const client = await chain.clientFor(ROLE.payer);
    const result = await checkPaymentSafety(client, {
      recipient: addressOf("other"),
      chainId: 1,
      token: addressOf("owner"),
    });
    expect(result.refused).toBe(true);
    expect(result.warnings.filter((w) => w.level === "refuse")).toEqual([
      { code: "WRONG_CHAIN", level: "refuse", message: "the link is for chain 1, but this wallet is on chain 31337" },
      {
        code: "WRONG_TOKEN",
        level: "refuse",
        message: `the link asks for token ${addressOf("owner")}, not the configured ${chain.token}`,
      },
    ]);
    expect(
      (await checkPaymentSafety(client, { recipient: addressOf("other"), chainId: 31337, token: chain.token })).refused,
    ).toBe(false);
  });
});
