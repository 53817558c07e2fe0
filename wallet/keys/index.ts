export {
  type AddDerivedAccountParameters,
  type AddDerivedAccountReturnType,
  addDerivedAccount,
} from "./addDerivedAccount.ts";
export { type CreateMnemonicParameters, type CreateMnemonicReturnType, createMnemonic } from "./createMnemonic.ts";
export {
  type DecryptKeystoreParameters,
  type DecryptKeystoreReturnType,
  decryptKeystore,
  type UnlockedAccount,
} from "./decryptKeystore.ts";
export { derivationPath, indexOfPath } from "./derivationPath.ts";
export {
  type DeriveAccountParameters,
  type DeriveAccountReturnType,
  type DerivedAccount,
  deriveAccount,
} from "./deriveAccount.ts";
export { fileKeystoreStore } from "./fileKeystoreStore.ts";
export {
  type ImportPrivateKeyParameters,
  type ImportPrivateKeyReturnType,
  importPrivateKey,
} from "./importPrivateKey.ts";
export { type KeystoreStore, keystoreExists, memoryKeystoreStore } from "./keystore-store.ts";
export { type KeystoreSource, keystoreStoreOf } from "./keystoreStoreOf.ts";
export {
  type AccountInfo,
  type ListAccountsParameters,
  type ListAccountsReturnType,
  listAccounts,
} from "./listAccounts.ts";
export { normalizeMnemonic } from "./mnemonic.ts";
export { type ParsedKeystore, parseKeystore } from "./parseKeystore.ts";
export { type ReadKeystoreParameters, type ReadKeystoreReturnType, readKeystore } from "./readKeystore.ts";
export { type UnlockAccountParameters, type UnlockAccountReturnType, unlockAccount } from "./unlockAccount.ts";
export {
  DEFAULT_SCRYPT_N,
  type WriteKeystoreParameters,
  type WriteKeystoreReturnType,
  writeKeystore,
} from "./writeKeystore.ts";
