export {
  type CancelAuthorizationParameters,
  type CancelAuthorizationReturnType,
  cancelAuthorization,
} from "./cancelAuthorization.ts";
export { type CancelInvoiceParameters, type CancelInvoiceReturnType, cancelInvoice } from "./cancelInvoice.ts";
export {
  type CancelTransactionParameters,
  type CancelTransactionReturnType,
  cancelTransaction,
} from "./cancelTransaction.ts";
export { type CapturePaymentParameters, type CapturePaymentReturnType, capturePayment } from "./capturePayment.ts";
export { type CreateGramClientParameters, createGramClient, type GramClient, requireAccount } from "./client.ts";
export { type ConfirmPaymentParameters, type ConfirmPaymentReturnType, confirmPayment } from "./confirmPayment.ts";
export { type DisputePaymentParameters, type DisputePaymentReturnType, disputePayment } from "./disputePayment.ts";
export type { Confirm, SentTransaction } from "./internal/submitTransaction.ts";
export { type PayInvoiceParameters, type PayInvoiceReturnType, payInvoice } from "./payInvoice.ts";
export {
  type PayInvoiceGaslessParameters,
  type PayInvoiceGaslessReturnType,
  payInvoiceGasless,
} from "./payInvoiceGasless.ts";
export { type ReadBalanceParameters, type ReadBalanceReturnType, readBalance } from "./readBalance.ts";
export {
  type HistoryEntry,
  type ReadHistoryParameters,
  type ReadHistoryReturnType,
  readHistory,
} from "./readHistory.ts";
export { type ReadTokenInfoParameters, type ReadTokenInfoReturnType, readTokenInfo } from "./readTokenInfo.ts";
export { type ReclaimPaymentParameters, type ReclaimPaymentReturnType, reclaimPayment } from "./reclaimPayment.ts";
export { type RefundPaymentParameters, type RefundPaymentReturnType, refundPayment } from "./refundPayment.ts";
export { type ResolveDisputeParameters, type ResolveDisputeReturnType, resolveDispute } from "./resolveDispute.ts";
export { type SendTransferParameters, type SendTransferReturnType, sendTransfer } from "./sendTransfer.ts";
export {
  type SendTransferGaslessParameters,
  type SendTransferGaslessReturnType,
  sendTransferGasless,
} from "./sendTransferGasless.ts";
export {
  type SignGaslessTransferParameters,
  type SignGaslessTransferReturnType,
  signGaslessTransfer,
} from "./signGaslessTransfer.ts";
export {
  type SignPayWithAuthorizationParameters,
  type SignPayWithAuthorizationReturnType,
  signPayWithAuthorization,
} from "./signPayWithAuthorization.ts";
export { type SpeedUpParameters, type SpeedUpReturnType, speedUp } from "./speedUp.ts";
export { type VoidPaymentParameters, type VoidPaymentReturnType, voidPayment } from "./voidPayment.ts";
export {
  type WaitForRelayedPaymentParameters,
  type WaitForRelayedPaymentReturnType,
  waitForRelayedPayment,
} from "./waitForRelayedPayment.ts";
export { type WithdrawParameters, type WithdrawReturnType, withdraw } from "./withdraw.ts";
