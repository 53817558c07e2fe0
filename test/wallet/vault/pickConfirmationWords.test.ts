import { describe, expect, it } from "vitest";
import { createMnemonic } from "../../../wallet/keys/createMnemonic.ts";
import { pickConfirmationWords } from "../../../wallet/vault/pickConfirmationWords.ts";

describe("pickConfirmationWords", () => {
  it("picks distinct positions in 1..length, ascending, and every position over many draws", () => {
    const mnemonic = createMnemonic({ words: 12 });
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const positions = pickConfirmationWords({ mnemonic });
      expect(positions).toHaveLength(3);
      expect(new Set(positions).size).toBe(3);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const position of positions) seen.add(position);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it("asks for as many words as told, within the phrase", () => {
    const mnemonic = createMnemonic({ words: 24 });
    expect(pickConfirmationWords({ mnemonic, count: 24 })).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(() => pickConfirmationWords({ mnemonic, count: 25 })).toThrow(RangeError);
  });
});
