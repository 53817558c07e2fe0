import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AmountError,
  type AmountErrorReason,
  formatAmount,
  MAX_AMOUNT_LENGTH,
  MAX_DECIMALS,
  parseAmount,
} from "../../protocol/amounts.ts";

const MAX_UINT256 = 2n ** 256n - 1n;

/** The AmountError that `action` throws (fails if it returns or throws anything else). */
function failure(action: () => unknown): AmountError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AmountError);
    return error as AmountError;
  }
  throw new Error("expected an AmountError, but it returned");
}

describe("parseAmount", () => {
  it.each([
    ["0", 9, 0n],
    ["1", 9, 1_000_000_000n],
    ["12.5", 9, 12_500_000_000n],
    ["0.000000001", 9, 1n],
    ["1.50", 9, 1_500_000_000n],
    ["0.0", 9, 0n],
    ["42", 0, 42n],
    ["1.000001", 6, 1_000_001n],
    ["1", 18, 10n ** 18n],
    ["0.000000000000000000000000000000000001", 36, 1n],
    [MAX_UINT256.toString(), 0, MAX_UINT256],
  ])("parses %s with %i decimals", (text, decimals, units) => {
    expect(parseAmount(text, decimals)).toBe(units);
  });

  it("uses the token's decimals, never 18: '1' is a different number of units for each", () => {
    expect([0, 6, 9, 18, 36].map((decimals) => parseAmount("1", decimals))).toEqual([
      1n,
      10n ** 6n,
      10n ** 9n,
      10n ** 18n,
      10n ** 36n,
    ]);
  });

  const rejected: [string, AmountErrorReason][] = [
    ["", "empty"],
    ["   ", "empty"],
    [" 5", "whitespace"],
    ["5\n", "whitespace"],
    ["\u00a05", "whitespace"],
    ["-1", "negative"],
    ["-0.5", "negative"],
    ["+1", "sign"],
    ["1.0000000001", "too_many_decimals"],
    ["1e9", "exponent"],
    ["1.5E3", "exponent"],
    ["2e-3", "exponent"],
    ["\u0661\u0662", "non_ascii_digits"],
    ["\uff11\uff12", "non_ascii_digits"],
    ["1\u0663", "non_ascii_digits"],
    ["1\u200b0", "invalid_character"],
    ["\u22125", "invalid_character"],
    ["1,000", "separator"],
    ["1,5", "separator"],
    ["1_000", "separator"],
    ["1 000", "separator"],
    ["1'000", "separator"],
    [".5", "leading_point"],
    ["5.", "trailing_point"],
    [".", "no_digits"],
    ["..", "no_digits"],
    ["1.2.3", "several_points"],
    ["0x10", "hex"],
    ["0b101", "hex"],
    ["ten", "invalid_character"],
    ["Infinity", "invalid_character"],
    ["NaN", "invalid_character"],
    ["5 GRAM", "separator"],
    ["$5", "invalid_character"],
    ["007", "leading_zeros"],
    ["00.5", "leading_zeros"],
    ["115792089237316195423570985008687907853269984665640564039457584007913.129639936", "overflow"],
  ];

  it.each(rejected)("rejects %j (%s)", (text, reason) => {
    expect(failure(() => parseAmount(text, 9, { symbol: "GRAM" })).reason).toBe(reason);
  });

  it("says what was wrong and what was expected", () => {
    const messages = Object.fromEntries(
      rejected.map(([text]) => [text, failure(() => parseAmount(text, 9, { symbol: "GRAM" })).message]),
    );
    expect(messages).toMatchInlineSnapshot(`
      {
        "": "amount is empty; expected a decimal number
      Hint: for example '12.5'",
        "   ": "amount is empty; expected a decimal number
      Hint: for example '12.5'",
        " 5": "amount ' 5' has leading or trailing spaces; expected only digits and '.'
      Hint: write '5'",
        "$5": "amount '$5' contains '$'; expected only digits 0-9 and '.'",
        "+1": "amount '+1' has a sign; expected digits only
      Hint: write '1'",
        "-0.5": "amount '-0.5' is negative; expected zero or more",
        "-1": "amount '-1' is negative; expected zero or more",
        ".": "amount '.' has no digits; expected a decimal number like '12.5'",
        "..": "amount '..' has no digits; expected a decimal number like '12.5'",
        ".5": "amount '.5' starts with '.'; expected a digit before it
      Hint: write '0.5'",
        "00.5": "amount '00.5' has leading zeros; expected no zeros before the first digit
      Hint: write '0.5'",
        "007": "amount '007' has leading zeros; expected no zeros before the first digit
      Hint: write '7'",
        "0b101": "amount '0b101' is not decimal; expected a decimal number like '12.5'",
        "0x10": "amount '0x10' is not decimal; expected a decimal number like '12.5'",
        "1 000": "amount '1 000' contains a space; expected no thousands separators and '.' as the decimal point",
        "1'000": "amount '1'000' contains "'"; expected no thousands separators and '.' as the decimal point",
        "1,000": "amount '1,000' contains ','; expected no thousands separators and '.' as the decimal point",
        "1,5": "amount '1,5' contains ','; expected no thousands separators and '.' as the decimal point",
        "1.0000000001": "amount '1.0000000001' has 10 decimals; GRAM allows at most 9",
        "1.2.3": "amount '1.2.3' has more than one '.'; expected at most one",
        "1.5E3": "amount '1.5E3' uses an exponent; expected plain decimal digits
      Hint: write the number out in full",
        "115792089237316195423570985008687907853269984665640564039457584007913.129639936": "amount '115792089237316195423570985008687907853269984665640564039457584007913.129639936' is too large; expected at most 115792089237316195423570985008687907853269984665640564039457584007913.129639935 (2^256 - 1 base units)",
        "1_000": "amount '1_000' contains '_'; expected no thousands separators and '.' as the decimal point",
        "1e9": "amount '1e9' uses an exponent; expected plain decimal digits
      Hint: write the number out in full",
        "1٣": "amount '1٣' uses non-ASCII digits; expected ASCII digits 0-9",
        "1​0": "amount '1​0' contains the character U+200B; expected only ASCII digits 0-9 and '.'",
        "2e-3": "amount '2e-3' uses an exponent; expected plain decimal digits
      Hint: write the number out in full",
        "5
      ": "amount '5\\x0a' has leading or trailing spaces; expected only digits and '.'
      Hint: write '5'",
        "5 GRAM": "amount '5 GRAM' contains a space; expected no thousands separators and '.' as the decimal point",
        "5.": "amount '5.' ends with '.'; expected digits after it
      Hint: write '5'",
        "Infinity": "amount 'Infinity' contains 'I'; expected only digits 0-9 and '.'",
        "NaN": "amount 'NaN' contains 'N'; expected only digits 0-9 and '.'",
        "ten": "amount 'ten' contains 't'; expected only digits 0-9 and '.'",
        " 5": "amount ' 5' has leading or trailing spaces; expected only digits and '.'
      Hint: write '5'",
        "١٢": "amount '١٢' uses non-ASCII digits; expected ASCII digits 0-9",
        "−5": "amount '−5' contains the character U+2212; expected only ASCII digits 0-9 and '.'",
        "１２": "amount '１２' uses non-ASCII digits; expected ASCII digits 0-9",
      }
    `);
  });

  it("names the allowed decimals, and the token when no symbol is given", () => {
    expect(failure(() => parseAmount("1.5", 0)).shortMessage).toMatchInlineSnapshot(
      `"amount '1.5' has 1 decimal; the token allows no decimals"`,
    );
    expect(failure(() => parseAmount("1.0000001", 6)).shortMessage).toMatchInlineSnapshot(
      `"amount '1.0000001' has 7 decimals; the token allows at most 6"`,
    );
  });

  it.each([37, -1, 1.5, Number.NaN])("rejects %d decimals", (decimals) => {
    expect(failure(() => parseAmount("1", decimals)).reason).toBe("invalid_decimals");
  });

  it("rejects a non-string from untyped callers", () => {
    expect(failure(() => parseAmount(5 as unknown as string, 9)).reason).toBe("not_a_string");
  });

  it("accepts exactly 2^256 - 1 units and rejects one more", () => {
    expect(parseAmount(formatAmount(MAX_UINT256, 9), 9)).toBe(MAX_UINT256);
    expect(failure(() => parseAmount((MAX_UINT256 + 1n).toString(), 0)).reason).toBe("overflow");
  });

  it("accepts the longest valid amount at every decimals, and nothing one character longer", () => {
    const digits = MAX_UINT256.toString();
    for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
      const whole = digits.slice(0, digits.length - decimals);
      const longest = decimals === 0 ? digits : `${whole}.${digits.slice(whole.length)}`;
      expect(longest.length).toBeLessThanOrEqual(MAX_AMOUNT_LENGTH);
      expect(parseAmount(longest, decimals)).toBe(MAX_UINT256);
      // "0.000…1" with trailing zeros up to the decimals: as long as a small amount can be.
      if (decimals > 0) expect(parseAmount(`0.${"0".repeat(decimals - 1)}1`, decimals)).toBe(1n);
    }
    expect(MAX_AMOUNT_LENGTH).toBe(79);
    expect(failure(() => parseAmount("1".repeat(MAX_AMOUNT_LENGTH + 1), 9)).reason).toBe("too_long");
    expect(failure(() => parseAmount(`1${"0".repeat(MAX_AMOUNT_LENGTH)}`, 0)).reason).toBe("too_long");
  });

  it("refuses a megabyte of digits by its length, before any regular expression runs", () => {
    // The exponent check was quadratic: 130,000 digits took 20 to 50 s and a megabyte would take many
    // minutes. The length bound answers at once; this test takes milliseconds.
    for (const text of ["1".repeat(2 ** 20), `${"1".repeat(2 ** 20)}e`, `${"9.".repeat(2 ** 19)}`]) {
      const error = failure(() => parseAmount(text, 9, { symbol: "GRAM" }));
      expect(error.reason).toBe("too_long");
      expect(error.shortMessage).toBe(
        `amount '${text.slice(0, 20)}...' has ${text.length} characters; expected at most 79 (no amount up to 2^256 - 1 base units is longer)`,
      );
    }
  });

  it("never throws anything but AmountError, and accepts only plain decimals", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 12 }),
        fc.integer({ min: 0, max: MAX_DECIMALS }),
        (text, d) => {
          let units: bigint;
          try {
            units = parseAmount(text, d);
          } catch (error) {
            expect(error).toBeInstanceOf(AmountError);
            return;
          }
          expect(text).toMatch(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/);
          expect(units).toBeGreaterThanOrEqual(0n);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("formatAmount", () => {
  it.each([
    [0n, 9, "0"],
    [1n, 9, "0.000000001"],
    [12_500_000_000n, 9, "12.5"],
    [10n ** 9n, 9, "1"],
    [42n, 0, "42"],
    [1_000_001n, 6, "1.000001"],
    [MAX_UINT256, 18, "115792089237316195423570985008687907853269984665640564039457.584007913129639935"],
  ])("formats %s with %i decimals as %s", (units, decimals, text) => {
    expect(formatAmount(units, decimals)).toBe(text);
  });

  it("rejects units outside uint256", () => {
    expect(failure(() => formatAmount(-1n, 9)).shortMessage).toMatchInlineSnapshot(
      `"units -1 are not a uint256; expected a bigint 0..2^256 - 1"`,
    );
    expect(failure(() => formatAmount(MAX_UINT256 + 1n, 9)).reason).toBe("invalid_units");
  });

  it("round-trips every uint256 at every decimals, in canonical form", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT256 }), fc.integer({ min: 0, max: MAX_DECIMALS }), (units, d) => {
        const text = formatAmount(units, d);
        expect(text).toMatch(/^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/);
        expect(parseAmount(text, d)).toBe(units);
      }),
      { numRuns: 2000 },
    );
  });

  it("formats a parsed amount as the same number without trailing zeros", () => {
    const digits = (max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: max });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), digits(18), digits(18), (whole, fraction, zeros) => {
        const decimals = fraction.length + zeros.length;
        const padding = "0".repeat(zeros.length);
        const text = decimals === 0 ? `${whole}` : `${whole}.${fraction}${padding}`;
        const canonical = fraction.replace(/0+$/, "");
        expect(formatAmount(parseAmount(text, decimals), decimals)).toBe(
          canonical ? `${whole}.${canonical}` : `${whole}`,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
