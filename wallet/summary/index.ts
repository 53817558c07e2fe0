export {
  type CheckPaymentSafetyParameters,
  type CheckPaymentSafetyReturnType,
  checkPaymentSafety,
  type SafetyWarning,
} from "./checkPaymentSafety.ts";
export {
  type DescribeTransactionParameters,
  type DescribeTransactionReturnType,
  describeTransaction,
  type TransactionFields,
  UnknownTransactionError,
} from "./describeTransaction.ts";
export {
  type DescribeTypedDataParameters,
  type DescribeTypedDataReturnType,
  describeTypedData,
  type TypedDataToSign,
} from "./describeTypedData.ts";
export { looksAlike } from "./looksAlike.ts";
export type * from "./types.ts";
