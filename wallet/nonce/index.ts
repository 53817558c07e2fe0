export {
  nonceFile,
  readStoredNonce,
  type StoredNonce,
  type WithNonceParameters,
  type WithNonceReturnType,
  withNonce,
} from "./withNonce.ts";
