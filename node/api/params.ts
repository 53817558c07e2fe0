// Untrusted input at the edge: path parameters, query strings and stream messages, parsed by zod
// into trusted values, or refused with a 400 that says what was got and what was expected.
import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import { INVOICE_RECORD_STATUSES } from "../../protocol/invoice-state.ts";
import { ApiError } from "./errors.ts";

const MAX_LIMIT = 1_000;
const DEFAULT_LIMIT = 50;

/** `got '…'` with long or odd input cut short, so that an error never echoes a megabyte back. */
export const got = (value: unknown) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `got '${text === undefined ? "nothing" : text.length > 80 ? `${text.slice(0, 80)}…` : text}'`;
};

/** A 20-byte address; a mixed-case one must carry a valid EIP-55 checksum. Lowercase out. */
export const addressSchema = z.string().transform((value, ctx): Address => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    ctx.addIssue({ code: "custom", message: `${got(value)}, expected 0x and 40 hex digits` });
    return z.NEVER;
  }
  const lower = value.toLowerCase() as Address;
  if (value !== lower && value !== `0x${value.slice(2).toUpperCase()}` && getAddress(lower) !== value) {
    ctx.addIssue({ code: "custom", message: `${got(value)}: wrong EIP-55 checksum (expected ${getAddress(lower)})` });
    return z.NEVER;
  }
  return lower;
});

/** An invoice id: 32 bytes of 0x-hex. Lowercase out. */
export const invoiceIdSchema = z.string().transform((value, ctx): Hex => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    ctx.addIssue({ code: "custom", message: `${got(value)}, expected an invoice id: 0x and 64 hex digits` });
    return z.NEVER;
  }
  return value.toLowerCase() as Hex;
});

const limitSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return DEFAULT_LIMIT;
    const n = /^[1-9]\d{0,6}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) {
      ctx.addIssue({ code: "custom", message: `${got(value)}, expected an integer from 1 to ${MAX_LIMIT}` });
      return z.NEVER;
    }
    return n;
  });

/** An opaque cursor: a `next` position, base64url-encoded. Checked against `position` once decoded. */
const cursorSchema = (position: RegExp) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(value) ? Buffer.from(value, "base64url").toString("latin1") : "";
      if (!position.test(decoded)) {
        ctx.addIssue({ code: "custom", message: `${got(value)}, expected a cursor returned by the previous page` });
        return z.NEVER;
      }
      return decoded;
    });

export const encodeCursor = (position: string | undefined) =>
  position === undefined ? null : Buffer.from(position, "latin1").toString("base64url");

export const accountParamsSchema = z.object({ address: addressSchema });
export const invoiceParamsSchema = z.object({ id: invoiceIdSchema });

export const historyQuerySchema = (position: RegExp) =>
  z.strictObject(
    { token: addressSchema.optional(), limit: limitSchema, cursor: cursorSchema(position) },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown parameter(s) ${issue.keys.join(", ")}; expected token, limit, cursor`
          : undefined,
    },
  );

export const merchantInvoicesQuerySchema = (position: RegExp) =>
  z.strictObject(
    {
      status: z
        .enum(INVOICE_RECORD_STATUSES, {
          error: (issue) => `${got(issue.input)}, expected one of ${INVOICE_RECORD_STATUSES.join(", ")}`,
        })
        .optional(),
      limit: limitSchema,
      cursor: cursorSchema(position),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown parameter(s) ${issue.keys.join(", ")}; expected status, limit, cursor`
          : undefined,
    },
  );

/**
 * Parses `input` with `schema` or throws a 400 naming the first bad field: "address: got '0x12',
 * expected 0x and 40 hex digits".
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, at?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [at, ...(issue?.path ?? [])].filter((part) => part !== undefined && part !== "").join(".");
  let message = issue?.message ?? "invalid input";
  // A repeated query parameter arrives as an array.
  if (issue?.code === "invalid_type" && issue.expected === "string") {
    const value = issue.path.reduce<unknown>((object, key) => (object as Record<PropertyKey, unknown>)?.[key], input);
    message = `${got(value)}, expected one value`;
  }
  throw new ApiError("BAD_REQUEST", field ? `${field}: ${message}` : message);
}
