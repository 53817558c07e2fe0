import { describe, expect, it } from "vitest";
import { isValidUsername, normalizeUsername } from "../../../protocol/chat/username.ts";
import { chatError } from "./helpers.ts";

describe("usernames", () => {
  it.each([
    ["alice", "alice"],
    ["Alice", "alice"],
    ["BOB_42", "bob_42"],
    ["a_b", "a_b"],
    ["x".repeat(32), "x".repeat(32)],
    // NFKC: fullwidth letters and the Kelvin sign are the ASCII ones, so they name the same account.
    ["ａｌｉｃｅ", "alice"],
    ["\u212Aate", "kate"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeUsername(input)).toBe(expected);
    expect(isValidUsername(input)).toBe(true);
  });

  it.each([
    ["Cyrillic а", "\u0430lice", 'contains "а" (U+0430) at position 0'],
    ["Cyrillic о inside", "b\u043eb", "(U+043E) at position 1"],
    ["Greek ο", "b\u03bfb", "(U+03BF) at position 1"],
    ["Greek Α (capital alpha)", "\u0391lice", "(U+03B1) at position 0"],
    ["a zero-width space", "ali\u200bce", "(U+200B) at position 3"],
    ["a zero-width joiner", "ali\u200dce", "(U+200D) at position 3"],
    ["a soft hyphen", "ali\u00adce", "(U+00AD) at position 3"],
    ["a dot", "al.ice", '"." (U+002E) at position 2'],
    ["a hyphen", "al-ice", "(U+002D) at position 2"],
    ["a space", "al ice", "(U+0020) at position 2"],
    ["an @", "@alice", "(U+0040) at position 0"],
    ["a leading digit", "1alice", "(U+0031) at position 0"],
    ["a leading underscore", "_alice", "(U+005F) at position 0"],
    ["an accent", "alicé", "(U+00E9) at position 4"],
    // NFKC composes e + U+0301 into é, which is refused like any accented letter.
    ["a combining accent", "alice\u0301", "(U+00E9) at position 4"],
    ["a dotted capital I (lowercases to i + U+0307)", "\u0130van", "(U+0307) at position 1"],
    ["an emoji", "ali😀", "(U+1F600) at position 3"],
    ["two characters", "ab", "(2 characters)"],
    ["33 characters", "a".repeat(33), "(33 characters)"],
    ["nothing", "", "(0 characters)"],
  ])("refuses %s", async (_name, input, message) => {
    const error = await chatError(() => normalizeUsername(input));
    expect(error.code).toBe("INVALID_USERNAME");
    expect(error.message).toContain(message);
    expect(error.message).toContain("expected 3–32 characters of a–z, 0–9 and _, starting with a letter");
    expect(isValidUsername(input)).toBe(false);
  });

  it("says what is expected in full", async () => {
    expect((await chatError(() => normalizeUsername("\u0430lice"))).shortMessage).toMatchInlineSnapshot(
      `"username: got "аlice", which contains "а" (U+0430) at position 0; expected 3–32 characters of a–z, 0–9 and _, starting with a letter"`,
    );
  });
});
