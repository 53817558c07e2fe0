import { describe, expect, it } from "vitest";
import { MIN_PASSWORD_LENGTH, ratePassword } from "../../../wallet/vault/ratePassword.ts";

describe("ratePassword", () => {
  it.each([
    ["", "too-short"],
    ["Tr0ub4dor", "too-short"],
    ["aaaaaaaaaaaaaaaaaaaa", "weak"],
    ["password12", "weak"],
    ["horse battery", "fair"],
    ["correct horse battery staple", "strong"],
    ["G7#kq!2Lz@9xPw4$", "strong"],
  ] as const)("rates %j as %s", (password, level) => {
    expect(ratePassword({ password }).level).toBe(level);
  });

  it("refuses fewer than the minimum length, and says how many characters are needed", () => {
    const short = ratePassword({ password: "x".repeat(MIN_PASSWORD_LENGTH - 1) });
    expect(short.level).toBe("too-short");
    expect(short.hint).toContain(String(MIN_PASSWORD_LENGTH));
  });

  it("never puts the password in the hint", () => {
    const password = "unique-marker-zebra-quartz";
    expect(ratePassword({ password }).hint).not.toContain("zebra");
  });
});
