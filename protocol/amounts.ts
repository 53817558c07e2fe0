/**
 * Token amounts as people write them ("12.5") ↔ integer base units (12_500_000_000n for a 9-decimal token).
 *
 * Strict on purpose: an amount is money, so anything a reader could take two ways ("1,000", "1e3",
 * " 5", "٥") is refused with a message that says what was expected, never guessed at.
 */
import { BaseError } from "./errors.ts";

/** The most decimals a token may declare here: uint256 holds 77 digits, so 36 leaves 41 whole digits. */
export const MAX_DECIMALS = 36;

const MAX_UINT256 = 2n ** 256n - 1n;

/**
 * The longest text a valid amount can be, whatever the token's decimals: 2^256 - 1 has 78 digits, and a
 * point adds one. With d decimals the whole part has at most 78 - d digits (more would overflow) and the
 * fraction at most d, or the whole part is "0" and the text is d + 2 long. Exponents are never accepted,
 * so no longer form exists. Checked before any regular expression runs: the checks below are linear, but
 * an unbounded input still costs a reader's time (1 MB of digits once took minutes).
 */
export const MAX_AMOUNT_LENGTH = MAX_UINT256.toString().length + 1;

/** What was wrong with an amount; stable, for `--json` output and tests. */
export type AmountErrorReason =
  | "not_a_string"
  | "too_long"
  | "empty"
  | "whitespace"
  | "non_ascii_digits"
  | "negative"
  | "sign"
  | "hex"
  | "exponent"
  | "separator"
  | "no_digits"
  | "leading_point"
  | "trailing_point"
  | "several_points"
  | "invalid_character"
  | "leading_zeros"
  | "too_many_decimals"
  | "overflow"
  | "invalid_decimals"
  | "invalid_units";

/**
 * A malformed amount. `shortMessage` says what was wrong and what was expected, `hint` what to type
 * instead; `reason` tells the cases apart without parsing the message.
 */
export class AmountError extends BaseError {
  override name = "AmountError";
  readonly code = "INVALID_AMOUNT";
  readonly reason: AmountErrorReason;

  constructor(reason: AmountErrorReason, shortMessage: string, hint?: string) {
    super(shortMessage, { hint });
    this.reason = reason;
  }
}

export interface ParseAmountOptions {
  /** Named in messages: "GRAM allows at most 9". */
  symbol?: string | undefined;
}

/**
 * Parses a decimal string into integer base units of a token with `decimals` decimals.
 *
 * Accepted: ASCII digits, at most one '.', with digits on both sides of it, no more fraction digits than
 * the token has, no leading zeros, at most 2^256 - 1 units, at most `MAX_AMOUNT_LENGTH` characters.
 * Nothing else: no spaces, signs, exponents, separators, hex or non-ASCII digits.
 *
 * @example
 * parseAmount("12.5", 9, { symbol: "GRAM" }); // 12_500_000_000n
 */
export function parseAmount(text: string, decimals: number, options: ParseAmountOptions = {}): bigint {
  checkDecimals(decimals);
  const symbol = options.symbol ?? "the token";
  if (typeof text !== "string") {
    throw new AmountError("not_a_string", `amount must be a string, got ${typeof text}`);
  }
  if (text.length > MAX_AMOUNT_LENGTH) {
    throw new AmountError(
      "too_long",
      `amount '${printable(text.slice(0, 20))}...' has ${text.length} characters; expected at most ${MAX_AMOUNT_LENGTH} (no amount up to 2^256 - 1 base units is longer)`,
    );
  }
  const shown = `'${printable(text)}'`;
  const example = decimals > 0 ? "'12.5'" : "'12'";

  if (text.trim() === "") {
    throw new AmountError("empty", "amount is empty; expected a decimal number", `for example ${example}`);
  }
  if (text.trim() !== text) {
    throw new AmountError(
      "whitespace",
      `amount ${shown} has leading or trailing spaces; expected only digits and '.'`,
      `write '${text.trim()}'`,
    );
  }
  if ([...text].some((c) => c.charCodeAt(0) > 0x7f)) {
    if (/\p{Nd}/u.test(text.replace(/[0-9]/g, ""))) {
      throw new AmountError("non_ascii_digits", `amount ${shown} uses non-ASCII digits; expected ASCII digits 0-9`);
    }
    const char = [...text].find((c) => c.charCodeAt(0) > 0x7f) ?? "";
    throw new AmountError(
      "invalid_character",
      `amount ${shown} contains ${describeChar(char)}; expected only ASCII digits 0-9 and '.'`,
    );
  }
  if (/^-[0-9.]/.test(text)) {
    throw new AmountError("negative", `amount ${shown} is negative; expected zero or more`);
  }
  if (/^\+[0-9.]/.test(text)) {
    throw new AmountError("sign", `amount ${shown} has a sign; expected digits only`, `write '${text.slice(1)}'`);
  }
  if (/^0[xob]/i.test(text)) {
    throw new AmountError("hex", `amount ${shown} is not decimal; expected a decimal number like ${example}`);
  }
  if (/^[0-9.]*[0-9][0-9.]*[eE][+-]?[0-9]*$/.test(text)) {
    throw new AmountError(
      "exponent",
      `amount ${shown} uses an exponent; expected plain decimal digits`,
      "write the number out in full",
    );
  }
  const separator = /[,_' ]/.exec(text)?.[0];
  if (separator !== undefined) {
    throw new AmountError(
      "separator",
      `amount ${shown} contains ${separator === " " ? "a space" : separator === "'" ? `"'"` : `'${separator}'`}; expected no thousands separators and '.' as the decimal point`,
    );
  }
  const bad = /[^0-9.]/.exec(text)?.[0];
  if (bad !== undefined) {
    throw new AmountError(
      "invalid_character",
      `amount ${shown} contains ${describeChar(bad)}; expected only digits 0-9 and '.'`,
    );
  }
  if (!/[0-9]/.test(text)) {
    throw new AmountError("no_digits", `amount ${shown} has no digits; expected a decimal number like ${example}`);
  }
  const parts = text.split(".");
  if (parts.length > 2) {
    throw new AmountError("several_points", `amount ${shown} has more than one '.'; expected at most one`);
  }
  const [whole = "", fraction] = parts;
  if (whole === "") {
    throw new AmountError(
      "leading_point",
      `amount ${shown} starts with '.'; expected a digit before it`,
      `write '0${text}'`,
    );
  }
  if (fraction === "") {
    throw new AmountError(
      "trailing_point",
      `amount ${shown} ends with '.'; expected digits after it`,
      `write '${whole}'`,
    );
  }
  if (whole.length > 1 && whole.startsWith("0")) {
    throw new AmountError(
      "leading_zeros",
      `amount ${shown} has leading zeros; expected no zeros before the first digit`,
      `write '${whole.replace(/^0+(?=\d)/, "")}${fraction === undefined ? "" : `.${fraction}`}'`,
    );
  }
  const fractionDigits = fraction ?? "";
  if (fractionDigits.length > decimals) {
    throw new AmountError(
      "too_many_decimals",
      `amount ${shown} has ${plural(fractionDigits.length, "decimal")}; ${symbol} allows ${decimals === 0 ? "no decimals" : `at most ${decimals}`}`,
    );
  }
  const units = BigInt(whole + fractionDigits.padEnd(decimals, "0"));
  if (units > MAX_UINT256) {
    throw new AmountError(
      "overflow",
      `amount ${shown} is too large; expected at most ${formatAmount(MAX_UINT256, decimals)} (2^256 - 1 base units)`,
    );
  }
  return units;
}

/**
 * Formats integer base units as the canonical decimal string: no leading zeros, no trailing zeros in
 * the fraction, no '.' when the fraction is zero. `parseAmount(formatAmount(u, d), d) === u`.
 *
 * @example
 * formatAmount(12_500_000_000n, 9); // "12.5"
 */
export function formatAmount(units: bigint, decimals: number): string {
  checkDecimals(decimals);
  if (typeof units !== "bigint" || units < 0n || units > MAX_UINT256) {
    throw new AmountError("invalid_units", `units ${String(units)} are not a uint256; expected a bigint 0..2^256 - 1`);
  }
  const digits = units.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
}

function checkDecimals(decimals: number) {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new AmountError(
      "invalid_decimals",
      `token decimals ${String(decimals)} are out of range; expected an integer 0..${MAX_DECIMALS}`,
    );
  }
}

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "'x'" for a visible ASCII character, else its code point, so that invisible characters show. */
function describeChar(char: string) {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return code > 0x20 && code < 0x7f ? `'${char}'` : `the character ${hex}`;
}

/** The input, cut short and with control characters escaped, so that a message stays one readable line. */
function printable(text: string) {
  const cut = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return [...cut]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c;
    })
    .join("");
}
