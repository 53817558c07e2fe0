// The chat client: a signed-in connection to a node's chat hub, messages signed and verified, payments
// checked on the chain, request and invoice cards paid through the wallet's own actions. Used by
// `gram chat`, bots and pages alike.
export {
  type Card,
  cardOf,
  findCard,
  type InvoiceCard,
  parseCardId,
  paymentOfCard,
  type RequestCard,
  rememberCard,
} from "./cards.ts";
export {
  CHAT_STATE_LIMITS,
  type ChatState,
  type ChatStateStore,
  chatStateFile,
  emptyChatState,
  fileChatStateStore,
  memoryChatStateStore,
  type PaymentClaim,
  type PaymentRecord,
} from "./chatState.ts";
export { CHAT_ROUTE, chatUrlOf } from "./chatUrl.ts";
export {
  type ChatAccount,
  type ChatConnection,
  type ChatEvent,
  type ChatListener,
  type ConnectChatParameters,
  connectChat,
  type HistoryPage,
  type SentMessage,
} from "./connectChat.ts";
export {
  ChatCardError,
  ChatError,
  ChatRefusedError,
  ChatSignInRefusedError,
  ChatStateFileError,
  ChatUnavailableError,
  InvalidChatMessageError,
  InvalidChatPeerError,
  InvalidChatUrlError,
  PaymentMessageNotSentError,
  UnknownChatUserError,
} from "./errors.ts";
export { createNameBook, type NameBook } from "./names.ts";
export { type PayCardParameters, type PayCardReturnType, payCard } from "./payCard.ts";
export { type ResolvedPeer, resolvePeer } from "./resolvePeer.ts";
export {
  type SendChatTransferParameters,
  type SendChatTransferReturnType,
  sendChatTransfer,
} from "./sendChatTransfer.ts";
export { type SendInvoiceParameters, sendInvoice } from "./sendInvoice.ts";
export { paymentBody, type SendPaymentParameters, sendPayment } from "./sendPayment.ts";
export { type SendRequestParameters, sendRequest } from "./sendRequest.ts";
export { sendText } from "./sendText.ts";
export {
  type CreatePaymentTrackerParameters,
  createPaymentTracker,
  type PaymentTracker,
  type PaymentUpdate,
} from "./trackPayments.ts";
export {
  type ChatMessage,
  isRejected,
  type RejectedMessage,
  seenKey,
  type VerifyIncomingParameters,
  verifyIncoming,
} from "./verifyIncoming.ts";
export {
  type PaymentCheckCode,
  type PaymentState,
  type PaymentVerification,
  type VerifyPaymentParameters,
  verifyPayment,
} from "./verifyPayment.ts";
