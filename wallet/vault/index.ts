export {
  type AddAccountParameters,
  type AddAccountReturnType,
  type AddAccountSource,
  addAccount,
} from "./addAccount.ts";
export { type ChangePasswordParameters, changePassword } from "./changePassword.ts";
export {
  type CheckPhraseConfirmationParameters,
  checkPhraseConfirmation,
} from "./checkPhraseConfirmation.ts";
export { type AutoLock, type CreateAutoLockParameters, createAutoLock, DEFAULT_IDLE_MS } from "./createAutoLock.ts";
export { createMemoryVaultStore } from "./createMemoryVaultStore.ts";
export * from "./errors.ts";
export { type ExportPhraseParameters, type ExportPhraseReturnType, exportPhrase } from "./exportPhrase.ts";
export { listVaultAccounts, type VaultAccount } from "./listVaultAccounts.ts";
export { type PickConfirmationWordsParameters, pickConfirmationWords } from "./pickConfirmationWords.ts";
export {
  MIN_PASSWORD_LENGTH,
  type RatePasswordParameters,
  type RatePasswordReturnType,
  ratePassword,
} from "./ratePassword.ts";
export {
  type UnlockVaultParameters,
  type UnlockVaultReturnType,
  unlockVault,
  type VaultSession,
} from "./unlockVault.ts";
export { DEFAULT_KDF, MIN_PBKDF2_ITERATIONS, type VaultKdf, type VaultKdfName } from "./vault-kdf.ts";
export { parseVaultRecord, VAULT_RECORD_VERSION, type VaultRecord } from "./vault-record.ts";
export type { VaultStore } from "./vault-store.ts";
