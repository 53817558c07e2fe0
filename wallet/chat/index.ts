// The chat client: a signed-in connection to a node's chat hub, messages signed and verified, payments
// checked on the chain, request and invoice cards paid through the wallet's own actions. Used by
// `gram chat`, bots and pages alike. Two exports need Node (`fileChatStateStore`, `nodeWebSocket`), and
// others reach the wallet's files (see README.md, "What runs where").

export { type AddGroupMembersParameters, addGroupMembers } from "./addGroupMembers.ts";
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
  chatStateSchema,
  emptyChatState,
  memoryChatStateStore,
  type PaymentClaim,
  type PaymentRecord,
} from "./chat-state.ts";
export { CHAT_ROUTE, chatUrlOf } from "./chat-url.ts";
export {
  type ChatAccount,
  type ChatConnection,
  type ConnectChatParameters,
  connectChat,
  type SendOptions,
  type SentMessage,
} from "./connectChat.ts";
export type { ChatEvent, ChatListener, InboxEvent } from "./createChatListeners.ts";
export { type CreateGroupParameters, createGroup } from "./createGroup.ts";
export {
  type CreatePaymentTrackerParameters,
  createPaymentTracker,
  type PaymentTracker,
  type PaymentUpdate,
} from "./createPaymentTracker.ts";
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
export { chatStateFile, fileChatStateStore } from "./fileChatStateStore.ts";
export { listGroups } from "./listGroups.ts";
export { type LookupUserParameters, type LookupUserReturnType, lookupUser } from "./lookupUser.ts";
export { createNameBook, type NameBook } from "./names.ts";
export { nodeWebSocket } from "./nodeWebSocket.ts";
export type { RawFrame, WebSocketEvents, WebSocketFactory, WebSocketWire } from "./openHubSocket.ts";
export { type PayCardParameters, type PayCardReturnType, payCard } from "./payCard.ts";
export {
  type HistoryPage,
  type ReadChatHistoryParameters,
  readChatHistory,
} from "./readChatHistory.ts";
export { type RegisterUsernameReturnType, registerUsername } from "./registerUsername.ts";
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
export { standardWebSocket } from "./standardWebSocket.ts";
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
