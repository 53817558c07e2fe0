export { type FileNonceStoreOptions, fileNonceStore, nonceFile, readStoredNonce } from "./fileNonceStore.ts";
export {
  MAX_NONCE_AHEAD,
  memoryNonceStore,
  NONCE_CLOCK_SKEW_MS,
  type NonceKey,
  type NonceStore,
  parseStoredNonce,
  type StoredNonce,
} from "./nonce-store.ts";
export { type WithNonceParameters, type WithNonceReturnType, withNonce } from "./withNonce.ts";
export {
  type WithStoredNonceParameters,
  type WithStoredNonceReturnType,
  withStoredNonce,
} from "./withStoredNonce.ts";
