/** What was wrong with a link, stable for the CLI's `--json` output and for tests. */
export type LinkErrorCode =
  /** Not a link of the expected kind: another scheme or path. */
  | "invalid-prefix"
  /** The payload was changed or cut short: bad base64url, wrong length or checksum mismatch. */
  | "damaged"
  /** A `gram:` payload of another kind (a request under `gram:invoice/`) or a layout version this code does not read. */
  | "unsupported-version"
  /** The checksum holds but the layout does not parse: only a faulty encoder makes these. */
  | "malformed"
  | "invalid-address"
  | "missing-chain-id"
  | "invalid-chain-id"
  /** The link is for another chain, escrow or token than the wallet's. */
  | "wrong-chain"
  | "wrong-escrow"
  | "wrong-token"
  | "invalid-amount"
  | "unknown-function"
  | "invalid-parameter"
  | "invalid-text"
  | "invalid-metadata"
  /** The metadata carried by an invoice link does not hash to the invoice's `metadataHash`. */
  | "metadata-mismatch";

export interface LinkErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

/** Every refusal of a link or of what goes into one; `code` says which rule failed. */
export class LinkError extends Error {
  override name = "LinkError";
  readonly code: LinkErrorCode;
  readonly hint: string | undefined;

  constructor(code: LinkErrorCode, message: string, { hint, cause }: LinkErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.hint = hint;
  }
}

/** Quotes untrusted input in an error without echoing a whole pasted paragraph. */
export function preview(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
