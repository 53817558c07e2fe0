export { gramTokenAbi, merchantEscrowAbi } from "./abis.ts";
export {
  AmountError,
  type AmountErrorReason,
  formatAmount,
  MAX_DECIMALS,
  type ParseAmountOptions,
  parseAmount,
} from "./amounts.ts";
export * from "./chat/index.ts";
export {
  type Deployment,
  DeploymentError,
  deploymentAbiHash,
  deploymentSchema,
  loadDeployment,
  parseDeployment,
} from "./deployments.ts";
export {
  cancelAuthorizationTypes,
  escrowDomain,
  gramTokenDomain,
  invoiceTypes,
  permitTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "./eip712.ts";
export { BaseError, type BaseErrorParameters, type ErrorKind, ProtocolError } from "./errors.ts";
export { type Invoice, type InvoiceIdParameters, invoiceId } from "./invoice.ts";
export {
  INVOICE_CHAIN_STATUSES,
  INVOICE_CHANGES,
  INVOICE_RECORD_STATUSES,
  type InvoiceChainStatus,
  type InvoiceChange,
  type InvoiceRecordStatus,
  STATUS_UPDATE_STATES,
  type StatusUpdateState,
} from "./invoice-state.ts";
export * from "./links/index.ts";
export {
  invoiceJsonSchema,
  type RelayErrorCode,
  type RelayPayRequest,
  type RelayPayRequestJson,
  type RelayResponse,
  type RelayTransferRequest,
  type RelayTransferRequestJson,
  relayPayRequestSchema,
  relayResponseSchema,
  relayTransferRequestSchema,
} from "./relay.ts";
export { ROUTES, type Route, type RouteParams, routePath } from "./routes.ts";
