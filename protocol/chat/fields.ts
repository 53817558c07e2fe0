// The zod pieces chat envelopes and frames are built of. Addresses come out EIP-55 checksummed, hashes
// and ids lowercase; each refusal says what was expected.
import type { Address, Hex } from "viem";
import { z } from "zod";
import { checksumAddress } from "../checksum.ts";
import { LinkError } from "../links/errors.ts";
import { checkDisplayText, findForbiddenCharacter } from "../links/text.ts";
import { type ChatErrorCode, ChatProtocolError } from "./errors.ts";

const UINT256_MAX = 2n ** 256n - 1n;

/** A 20-byte address, lowercase or with a valid EIP-55 checksum. Checksummed out. */
export const addressField = z.string().transform((value, ctx): Address => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    ctx.addIssue({ code: "custom", message: "expected an address: 0x and 40 hex digits" });
    return z.NEVER;
  }
  const checksummed = checksumAddress(value);
  const digits = value.slice(2);
  if (digits !== digits.toLowerCase() && digits !== digits.toUpperCase() && value !== checksummed) {
    ctx.addIssue({ code: "custom", message: `wrong EIP-55 checksum (expected ${checksummed})` });
    return z.NEVER;
  }
  return checksummed;
});

/** 32 bytes as 0x-hex. Lowercase out. */
export const bytes32Field = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "expected 32 bytes: 0x and 64 hex digits")
  .transform((value) => value.toLowerCase() as Hex);

/** An amount in a token's base units: a positive integer as a decimal string, below 2^256. */
export const amountField = z.string().superRefine((value, ctx) => {
  if (!/^[1-9][0-9]{0,77}$/.test(value)) {
    ctx.addIssue({
      code: "custom",
      message: 'expected a positive whole number of base units as a decimal string, such as "5000000000"',
    });
  } else if (BigInt(value) > UINT256_MAX) {
    ctx.addIssue({ code: "custom", message: "expected at most 2^256 − 1" });
  }
});

/** A non-negative integer that fits JavaScript numbers exactly. */
export const safeUint = z
  .number()
  .int("expected a whole number")
  .nonnegative("expected a whole number ≥ 0")
  .max(Number.MAX_SAFE_INTEGER, "expected at most 2^53 − 1");

/** Unix time in seconds, as the contracts' uint40. */
export const unixSecondsField = safeUint.max(2 ** 40 - 1, "expected unix seconds below 2^40");

/** The latest unix millisecond a JavaScript `Date` holds (ECMA-262 §21.4.1.22: ±8.64e15 ms). */
export const MAX_DATE_MS = 8.64e15;

/** Unix time in milliseconds that a `Date` can hold, so that showing it never throws. */
export const unixMsField = safeUint.max(
  MAX_DATE_MS,
  `expected unix milliseconds a date can hold (at most ${MAX_DATE_MS})`,
);

/**
 * One line of text shown to a user (a memo, a group name): NFC, no control, bidirectional or invisible
 * formatting characters, at most `max` code points (the rules of `gram:` links' display text).
 */
export const lineField = (max: number) =>
  z.string().superRefine((value, ctx) => {
    if (value.length === 0) {
      ctx.addIssue({ code: "custom", message: "must not be empty (leave the field out instead)" });
      return;
    }
    try {
      checkDisplayText(value, "text", max);
    } catch (error) {
      if (!(error instanceof LinkError)) throw error;
      ctx.addIssue({ code: "custom", message: error.shortMessage.replace(/^text: /, "") });
    }
  });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A message's text: 1 to `max` code points. It refuses what memos refuse (`findForbiddenCharacter`:
 * controls such as terminal escapes, bidirectional overrides that reorder what a reader sees, invisible
 * characters, the line and paragraph separators U+2028/U+2029) but keeps newline and tab, and ZWJ and
 * ZWNJ as memos do.
 */
export const messageTextField = (max: number) =>
  z.string().superRefine((value, ctx) => {
    const length = [...value].length;
    if (length === 0 || length > max) {
      ctx.addIssue({ code: "custom", message: `expected 1 to ${max} characters, got ${length}` });
      return;
    }
    if (LONE_SURROGATE.test(value)) {
      ctx.addIssue({ code: "custom", message: "not well-formed Unicode (a lone surrogate)" });
      return;
    }
    const forbidden = findForbiddenCharacter(value, { multiline: true });
    if (forbidden !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `contains ${forbidden.codePoint} at position ${forbidden.index}: control, invisible, bidirectional and line-separator characters are refused (newline and tab are not)`,
      });
    }
  });

// zod's own wording for the common cases, told as "got X, expected Y".
const issueMessage = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "missing";
    const got = issue.input === null ? "null" : Array.isArray(issue.input) ? "an array" : typeof issue.input;
    return `got ${got}, expected ${issue.expected}`;
  }
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
  return undefined;
};

/**
 * Parses `value` with `schema`, or throws a `ChatProtocolError` naming the first bad field:
 * "envelope.body.amount: expected a positive whole number of base units…".
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at: string,
  code: ChatErrorCode = "MALFORMED",
): z.output<S> {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [at, ...(issue?.path ?? []).map(String)].filter((part) => part !== "").join(".") || "frame";
  throw new ChatProtocolError(code, `${path}: ${issue?.message ?? "invalid"}`);
}
