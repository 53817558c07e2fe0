// The one error base of Gram, as viem's `BaseError` (src/errors/base.ts) and ox's `Errors.BaseError`: a
// short message, then details and a hint, the cause, and a walk down the causes. Every family extends it:
// the protocol's (links, chat, amounts, deployment records), the wallet's `WalletError`, the node's
// `GramNodeError`, the scripts'. Codes are SCREAMING_SNAKE and stable: `--json`, logs and tests match on
// them. Nothing here imports viem or ethers: the CLI reports every error through this file, and
// `gram --version` must stay fast.

/**
 * Whose to fix it. `user`: the input or the local files are wrong (the CLI exits 1). `failure`: something
 * outside the user's hands failed, a disk, the chain, the node, the hub (exit 2); later may work.
 */
export type ErrorKind = "user" | "failure";

export interface BaseErrorParameters {
  /** More about what happened, for a reader who wants it. */
  details?: string | undefined;
  /** What to do about it. */
  hint?: string | undefined;
  /** Lines printed under the short message: a table, the values that failed. */
  metaMessages?: readonly string[] | undefined;
  /** `user` unless the family or the error says otherwise. */
  kind?: ErrorKind | undefined;
  cause?: unknown;
}

/**
 * The base of every error Gram throws on purpose. `message` is the short message, the meta lines, then
 * `Details: …` and `Hint: …`, one per line; `shortMessage`, `details` and `hint` hold them apart for a
 * program (the CLI prints them as fields).
 *
 * @example
 * abstract class WalletError extends BaseError {} // a family
 * class ContactExistsError extends WalletError {
 *   override name = "ContactExistsError";
 *   readonly code = "CONTACT_EXISTS";
 * }
 * throw new ContactExistsError("contact 'bob' exists", { hint: "remove it first" });
 */
export abstract class BaseError extends Error {
  override name = "BaseError";
  /** SCREAMING_SNAKE, stable across releases; unique within the family. */
  abstract readonly code: string;
  readonly kind: ErrorKind;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;
  readonly metaMessages: readonly string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const { details, hint, metaMessages, kind, cause } = parameters;
    const message = [
      shortMessage,
      ...(metaMessages ?? []),
      ...(details ? [`Details: ${details}`] : []),
      ...(hint ? [`Hint: ${hint}`] : []),
    ].join("\n");
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind ?? "user";
    this.shortMessage = shortMessage;
    this.details = details;
    this.hint = hint;
    this.metaMessages = metaMessages;
  }

  /** The innermost cause: the error at the end of the `cause` chain (this error when it has none). */
  walk(): unknown;
  /** The first of this error and its causes, outermost first, that `fn` accepts; null when none does. */
  walk<T>(fn: (error: unknown) => error is T): T | null;
  walk(fn: (error: unknown) => boolean): unknown;
  walk(fn?: (error: unknown) => boolean): unknown {
    // A chain can loop (a cause set after the fact): each error is visited once.
    const seen = new Set<unknown>();
    let error: unknown = this;
    for (;;) {
      if (fn?.(error)) return error;
      seen.add(error);
      const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
      if (cause === undefined || cause === null || seen.has(cause)) return fn ? null : error;
      error = cause;
    }
  }

  /** The error as it leaves the process (`--json`, a report): its code, name and the three texts. */
  toJSON(): { code: string; name: string; message: string; details?: string; hint?: string } {
    return {
      code: this.code,
      name: this.name,
      message: this.shortMessage,
      ...(this.details ? { details: this.details } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

export type ProtocolErrorParameters = Pick<BaseErrorParameters, "details" | "hint" | "cause">;

/**
 * A refusal by one of the protocol's rules (a link, a chat frame): `code`, one of the family's, says which
 * rule failed, and the message what was got and what was expected.
 */
export abstract class ProtocolError<code extends string = string> extends BaseError {
  readonly code: code;

  constructor(code: code, shortMessage: string, parameters: ProtocolErrorParameters = {}) {
    super(shortMessage, parameters);
    this.code = code;
  }
}

/** An HTTP status's kind: a rate limit or a server's trouble is a failure (try later), the rest the request's fault. */
export function statusKind(status: number): ErrorKind {
  return status === 429 || status >= 500 ? "failure" : "user";
}

/** Quotes untrusted input in an error without echoing a whole frame or paragraph back: `"abc"`, `42`, `{"a":1…`. */
export function quote(value: unknown, max = 80): string {
  const cut = (text: string) => (text.length > max ? `${text.slice(0, max)}…` : text);
  if (typeof value === "string") return JSON.stringify(cut(value));
  const text = JSON.stringify(value);
  return text === undefined ? "nothing" : cut(text);
}
