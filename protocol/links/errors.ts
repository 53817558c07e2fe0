import { ProtocolError } from "../errors.ts";

/** What was wrong with a link, stable for the CLI's `--json` output (as `LINK_` and the code) and for tests. */
export type LinkErrorCode =
  /** Not a link of the expected kind: another scheme or path. */
  | "INVALID_PREFIX"
  /** The payload was changed or cut short: bad base64url, wrong length or checksum mismatch. */
  | "DAMAGED"
  /** A `gram:` payload of another kind (a request under `gram:invoice/`) or a layout version this code does not read. */
  | "UNSUPPORTED_VERSION"
  /** The checksum holds but the layout does not parse: only a faulty encoder makes these. */
  | "MALFORMED"
  | "INVALID_ADDRESS"
  | "MISSING_CHAIN_ID"
  | "INVALID_CHAIN_ID"
  /** The link is for another chain, escrow or token than the wallet's. */
  | "WRONG_CHAIN"
  | "WRONG_ESCROW"
  | "WRONG_TOKEN"
  | "INVALID_AMOUNT"
  | "UNKNOWN_FUNCTION"
  | "INVALID_PARAMETER"
  | "INVALID_TEXT"
  | "INVALID_METADATA"
  /** The metadata carried by an invoice link does not hash to the invoice's `metadataHash`. */
  | "METADATA_MISMATCH";

/**
 * Every refusal of a link or of what goes into one; `code` says which rule failed. Outside this family
 * (`--json`, a report) the code reads `LINK_` and it: a link's `WRONG_CHAIN` is not the wallet's.
 */
export class LinkError extends ProtocolError<LinkErrorCode> {
  override name = "LinkError";

  override toJSON() {
    return { ...super.toJSON(), code: `LINK_${this.code}` };
  }
}
