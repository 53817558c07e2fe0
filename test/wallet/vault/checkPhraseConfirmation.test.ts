import { describe, expect, it } from "vitest";
import { checkPhraseConfirmation } from "../../../wallet/vault/checkPhraseConfirmation.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";

describe("checkPhraseConfirmation", () => {
  it("accepts the right words at the asked positions, whatever their case and spacing", () => {
    expect(() =>
      checkPhraseConfirmation({ mnemonic: MNEMONIC, answers: { 2: " Winner", 6: "sausage", 12: "YELLOW" } }),
    ).not.toThrow();
  });

  it("names the positions that do not match, never a word", () => {
    const error = (() => {
      try {
        checkPhraseConfirmation({ mnemonic: MNEMONIC, answers: { 2: "winner", 6: "yellow", 12: "sausage" } });
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe("PHRASE_NOT_CONFIRMED");
    expect(error?.message).toMatchInlineSnapshot(`
      "words 6, 12 of the phrase do not match
      Hint: check your written copy of the phrase"
    `);
  });

  it("refuses no answers, and a position outside the phrase", () => {
    expect(() => checkPhraseConfirmation({ mnemonic: MNEMONIC, answers: {} })).toThrow("no words were given");
    expect(() => checkPhraseConfirmation({ mnemonic: MNEMONIC, answers: { 13: "legal" } })).toThrow("word 13");
  });
});
