// The page of the key vault's browser tests: the vault library and its IndexedDB store, on `window`, for
// `page.evaluate` to drive. Test-only: the app's screens will call the same functions.
import { recoverMessageAddress } from "viem";
import { createMnemonic } from "../../../wallet/keys/createMnemonic.ts";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { exportPhrase } from "../../../wallet/vault/exportPhrase.ts";
import { listVaultAccounts } from "../../../wallet/vault/listVaultAccounts.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { createKeyVaultStore } from "../../../web/storage/key-vault-store.ts";

const vault = {
  store: createKeyVaultStore(),
  createMnemonic,
  addAccount,
  exportPhrase,
  listVaultAccounts,
  unlockVault,
  recoverMessageAddress,
  session: undefined as Awaited<ReturnType<typeof unlockVault>> | undefined,
};

export type VaultPage = typeof vault;

declare global {
  interface Window {
    vault: VaultPage;
  }
}

window.vault = vault;
