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
export { type Invoice, type InvoiceIdParameters, invoiceId } from "./invoice.ts";
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
