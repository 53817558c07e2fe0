import fc from "fast-check";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { InvalidAccountIndexError, InvalidMnemonicError } from "../../../wallet/errors.ts";
import { createMnemonic } from "../../../wallet/keys/createMnemonic.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { failure } from "../../kit/wallet-helpers.ts";

describe("deriveAccount", () => {
  it("derives the published accounts 0 and 1 of the test mnemonic on m/44'/60'/0'/0/i", () => {
    expect(deriveAccount({ mnemonic: TEST_MNEMONIC, index: 0 })).toEqual({
      address: ACCOUNT_0,
      privateKey: KEY_0,
      mnemonic: TEST_MNEMONIC,
      path: "m/44'/60'/0'/0/0",
      index: 0,
    });
    expect(deriveAccount({ mnemonic: TEST_MNEMONIC, index: 1 }).address).toBe(ACCOUNT_1);
  });

  it("reads the words whatever their case and spacing", () => {
    const messy = `  ${TEST_MNEMONIC.toUpperCase().replaceAll(" ", " \t\n ")} `;
    expect(deriveAccount({ mnemonic: messy, index: 1 }).address).toBe(ACCOUNT_1);
  });

  it("agrees with viem (scure) for created mnemonics and any index", () => {
    fc.assert(
      fc.property(fc.constantFrom<12 | 24>(12, 24), fc.nat({ max: 2 ** 31 - 1 }), (words, index) => {
        const mnemonic = createMnemonic({ words });
        expect(deriveAccount({ mnemonic, index }).address).toBe(
          mnemonicToAccount(mnemonic, { addressIndex: index }).address,
        );
      }),
      { numRuns: 8 },
    );
  });

  it("refuses malformed mnemonics, naming a bad word by position only", async () => {
    const words = TEST_MNEMONIC.split(" ");
    const messages = await Promise.all(
      [
        words.slice(0, 11).join(" "),
        [...words.slice(0, 4), "tset", ...words.slice(5)].join(" "),
        // All words in the list, last word's checksum broken.
        [...words.slice(0, 11), "test"].join(" "),
        "",
      ].map(async (mnemonic) => (await failure(InvalidMnemonicError, () => deriveAccount({ mnemonic }))).message),
    );
    expect(messages).toMatchInlineSnapshot(`
      [
        "mnemonic has 11 words; expected 12, 15, 18, 21 or 24",
        "mnemonic word 5 is not in the BIP-39 English word list
      Hint: check the spelling of that word against your backup",
        "mnemonic checksum does not match; a word is wrong or out of order
      Hint: every word is in the list, so compare their order with your backup",
        "mnemonic is empty; expected 12, 15, 18, 21 or 24 words",
      ]
    `);
  });

  it.each([-1, 2 ** 31, 1.5])("refuses account index %d", async (index) => {
    const error = await failure(InvalidAccountIndexError, () => deriveAccount({ mnemonic: TEST_MNEMONIC, index }));
    expect(error.code).toBe("INVALID_ACCOUNT_INDEX");
  });
});

describe("createMnemonic", () => {
  it("creates valid, distinct 12- and 24-word English mnemonics", () => {
    const twelve = createMnemonic();
    const twentyFour = createMnemonic({ words: 24 });
    expect(twelve.split(" ")).toHaveLength(12);
    expect(twentyFour.split(" ")).toHaveLength(24);
    expect(createMnemonic()).not.toBe(twelve);
    // Valid: deriving checks the words and the checksum.
    expect(deriveAccount({ mnemonic: twentyFour }).mnemonic).toBe(twentyFour);
  });

  it("refuses other lengths", async () => {
    const error = await failure(InvalidMnemonicError, () => createMnemonic({ words: 18 as 12 }));
    expect(error.message).toMatchInlineSnapshot(`"a new mnemonic has 12 or 24 words; got 18"`);
  });
});
