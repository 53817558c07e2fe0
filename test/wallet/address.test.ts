import { describe, expect, it } from "vitest";
import { parseAddress } from "../../wallet/address.ts";
import { AddressChecksumError, InvalidAddressError } from "../../wallet/errors.ts";
import { ACCOUNT_1, BAD_CHECKSUM } from "../kit/accounts.ts";
import { failure } from "../kit/wallet-helpers.ts";

describe("parseAddress", () => {
  it.each([
    ["checksummed", ACCOUNT_1],
    ["all lower case", ACCOUNT_1.toLowerCase()],
    ["all upper case", `0x${ACCOUNT_1.slice(2).toUpperCase()}`],
  ])("accepts an address %s and returns it checksummed", (_, text) => {
    expect(parseAddress(text)).toBe(ACCOUNT_1);
  });

  it("refuses mixed case that is not EIP-55", async () => {
    expect(BAD_CHECKSUM).not.toBe(ACCOUNT_1);
    const error = await failure(AddressChecksumError, () => parseAddress(BAD_CHECKSUM));
    expect(error.message).toMatchInlineSnapshot(`
      "address '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' has a wrong checksum (mixed case that is not EIP-55)
      Details: a mixed-case address encodes a checksum in its letters; this one does not match, so a character is wrong
      Hint: copy the address again from its source instead of fixing the letters' case"
    `);
  });

  it("refuses what is not 0x and 40 hex digits", async () => {
    const messages = [];
    for (const text of [ACCOUNT_1.slice(0, -1), `${ACCOUNT_1}0`, ACCOUNT_1.slice(2), ` ${ACCOUNT_1}`, "0xZZ", "bob"]) {
      messages.push((await failure(InvalidAddressError, () => parseAddress(text))).message);
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "address '0x70997970C51812dc3A010C7d01b50e0d17dc79C' is not an address; expected 0x and 40 hex digits
      Details: it has 39 hex digits",
        "address '0x70997970C51812dc3A010C7d01b50e0d17dc79C80' is not an address; expected 0x and 40 hex digits
      Details: it has 41 hex digits",
        "address '70997970C51812dc3A010C7d01b50e0d17dc79C8' is not an address; expected 0x and 40 hex digits",
        "address ' 0x70997970C51812dc3A010C7d01b50e0d17dc79C8' is not an address; expected 0x and 40 hex digits",
        "address '0xZZ' is not an address; expected 0x and 40 hex digits",
        "address 'bob' is not an address; expected 0x and 40 hex digits",
      ]
    `);
  });
});
