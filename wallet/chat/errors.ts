// The chat client's errors, on the wallet's base class so that the CLI reports them like every other:
// a stable code, a short message, a hint, and an exit code from `kind` (1 the user's to fix, 2 a failure
// outside their hands).
import { CHAT_FAILURE_CODES } from "../../protocol/chat/errors.ts";
import { WalletError, type WalletErrorParameters } from "../errors.ts";

/** Every chat client error; `code` says which rule failed. */
export abstract class ChatError extends WalletError {}

/** The hub could not be reached, closed the connection, or did not answer in time. */
export class ChatUnavailableError extends ChatError {
  override name = "ChatUnavailableError";
  readonly code = "CHAT_UNAVAILABLE";
  override readonly kind = "failure";
}

/**
 * The client refused to sign in: the hub asked for a signature for another URL, domain or chain than the
 * wallet's. Nothing was signed.
 */
export class ChatSignInRefusedError extends ChatError {
  override name = "ChatSignInRefusedError";
  readonly code = "CHAT_SIGNIN_REFUSED";
}

/**
 * The hub refused a frame with an `error` frame. `hubCode` is the hub's code (`USERNAME_TAKEN`,
 * `RATE_LIMITED`, …); `code` is `CHAT_` and it. The hub's own trouble, rate limits and connection caps are failures, the
 * rest the request's fault.
 */
export class ChatRefusedError extends ChatError {
  override name = "ChatRefusedError";
  readonly code: string;
  readonly hubCode: string;

  constructor(hubCode: string, shortMessage: string, parameters: WalletErrorParameters = {}) {
    // The hub's trouble, rate limits and connection caps (the protocol's failure codes) exit 2.
    super(shortMessage, { ...parameters, kind: CHAT_FAILURE_CODES.has(hubCode) ? "failure" : "user" });
    this.hubCode = hubCode;
    this.code = `CHAT_${/^[A-Z_]{1,40}$/.test(hubCode) ? hubCode : "REFUSED"}`;
  }
}

/** `@name` is neither a contact nor a username the hub knows. */
export class UnknownChatUserError extends ChatError {
  override name = "UnknownChatUserError";
  readonly code = "UNKNOWN_USER";
}

/** The hub's URL is not an http(s) or ws(s) URL. */
export class InvalidChatUrlError extends ChatError {
  override name = "InvalidChatUrlError";
  readonly code = "INVALID_CHAT_URL";
}

/** What a user typed as a chat peer is not `@name`, an address or a group id. */
export class InvalidChatPeerError extends ChatError {
  override name = "InvalidChatPeerError";
  readonly code = "INVALID_PEER";
}

/** A request or invoice card that cannot be found or paid as asked. */
export class ChatCardError extends ChatError {
  override name = "ChatCardError";
  readonly code: string;

  constructor(
    code: "CARD_NOT_FOUND" | "INVALID_CARD_ID" | "CARD_NOT_PAYABLE",
    shortMessage: string,
    parameters: WalletErrorParameters = {},
  ) {
    super(shortMessage, parameters);
    this.code = code;
  }
}

/** `$GRAM_HOME/chat/…` holds something other than what this wallet writes. */
export class ChatStateFileError extends ChatError {
  override name = "ChatStateFileError";
  readonly code = "CHAT_STATE_INVALID";
}

/** A message this client would not sign: too long, a control character in the text, a bad amount… */
export class InvalidChatMessageError extends ChatError {
  override name = "InvalidChatMessageError";
  readonly code = "INVALID_MESSAGE";
}

/** The payment went through but the chat message saying so could not be sent: `details` names the transaction. */
export class PaymentMessageNotSentError extends ChatError {
  override name = "PaymentMessageNotSentError";
  readonly code = "PAYMENT_MESSAGE_NOT_SENT";
  override readonly kind = "failure";
}
