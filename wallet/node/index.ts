// The node's API as actions over one transport: `createNodeClient({ transport: http(url) })`, then
// `getStatus(node)`, `getAccount(node, { address })`, `relayTransfer(node, { request })`, …
export {
  type CreateNodeClientParameters,
  createNodeClient,
  type NodeClient,
} from "./createNodeClient.ts";
export {
  type GetAccountParameters,
  type GetAccountReturnType,
  getAccount,
} from "./getAccount.ts";
export {
  type GetHistoryParameters,
  type GetHistoryReturnType,
  getHistory,
} from "./getHistory.ts";
export {
  type GetInvoiceParameters,
  type GetInvoiceReturnType,
  getInvoice,
} from "./getInvoice.ts";
export {
  type GetMerchantBalancesParameters,
  type GetMerchantBalancesReturnType,
  getMerchantBalances,
} from "./getMerchantBalances.ts";
export {
  type GetMerchantInvoicesParameters,
  type GetMerchantInvoicesReturnType,
  getMerchantInvoices,
} from "./getMerchantInvoices.ts";
export { type GetStatusParameters, type GetStatusReturnType, getStatus } from "./getStatus.ts";
export {
  DEFAULT_NODE_TIMEOUT_MS,
  type HttpTransportOptions,
  http,
  type NodeRequest,
  type NodeSocket,
  type NodeTransport,
} from "./http.ts";
export { type RelayPayParameters, type RelayPayReturnType, relayPay } from "./relayPay.ts";
export { type RelayTransferParameters, type RelayTransferReturnType, relayTransfer } from "./relayTransfer.ts";
export {
  type Followed,
  type StreamSubscription,
  type StreamTopics,
  type StreamUpdate,
  type SubscribeStreamParameters,
  type SubscribeStreamReturnType,
  subscribeStream,
} from "./subscribeStream.ts";
