import { type ErrorKind, ProtocolError } from "../errors.ts";

/**
 * Why a chat envelope, frame, username or sign-in was refused. Stable: the hub sends it in `error`
 * frames, the client branches on it, tests assert it.
 */
export type ChatErrorCode =
  /** Not JSON, the wrong shape or a value out of range; the message names the field and what was expected. */
  | "MALFORMED"
  /** Over a size limit: 16 KiB per envelope, 64 KiB per frame. */
  | "TOO_LARGE"
  /** An envelope version this code does not read. */
  | "UNKNOWN_VERSION"
  /** A body type this code does not know. */
  | "UNKNOWN_TYPE"
  /** A frame `op` the hub does not know. */
  | "UNKNOWN_OP"
  /** The signature does not recover to `from` under this chain and contract. */
  | "BAD_SIGNATURE"
  /** Signed for another chain than the reader's. */
  | "WRONG_CHAIN"
  /** An `invoice` body whose link is damaged, for another chain or escrow, or whose title/items are not the signed ones. */
  | "INVOICE_INVALID"
  | "INVALID_USERNAME"
  /** A Sign-In with Ethereum message or signature that does not hold (domain, uri, chain, nonce, times, signer). */
  | "SIGNIN_FAILED"
  /** The hub: the operation needs a signed-in session. */
  | "NOT_SIGNED_IN"
  /** The hub: an envelope `from` another address than the session's. */
  | "IMPERSONATION"
  /** The hub: this sender already sent a message with this id. */
  | "REPLAYED"
  /** The hub: `sentAt` is further than the allowed skew from the hub's clock. */
  | "CLOCK_SKEW"
  /** The hub: the session's address is not a member of the group. */
  | "NOT_MEMBER"
  | "NOT_FOUND"
  | "USERNAME_TAKEN"
  | "RATE_LIMITED"
  /** The hub: a sign-in past the connections allowed to one address, or to the whole hub. */
  | "TOO_MANY_CONNECTIONS"
  /** The hub failed on its side (disk); the frame may be sent again. */
  | "INTERNAL";

/** Codes that say the hub is busy or failed, not that the request was wrong: a client may try again later. */
export const CHAT_FAILURE_CODES: ReadonlySet<string> = new Set<ChatErrorCode>([
  "RATE_LIMITED",
  "TOO_MANY_CONNECTIONS",
  "INTERNAL",
]);

/** Every refusal in the chat protocol; `code` says which rule failed, the message what was expected. */
export class ChatProtocolError extends ProtocolError<ChatErrorCode> {
  override name = "ChatProtocolError";
  override readonly kind: ErrorKind = CHAT_FAILURE_CODES.has(this.code) ? "failure" : "user";
}
