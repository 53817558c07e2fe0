// The page of the key vault's benchmark (./web-vault.ts): the vault library and its IndexedDB store on
// `window`, driven by the benchmark through playwright.
import { addAccount } from "../../wallet/vault/addAccount.ts";
import { unlockVault } from "../../wallet/vault/unlockVault.ts";
import { deriveVaultKey, newVaultKdf } from "../../wallet/vault/vault-kdf.ts";
import { createKeyVaultStore } from "../../web/storage/key-vault-store.ts";

const bench = { addAccount, unlockVault, deriveVaultKey, newVaultKdf, createKeyVaultStore };
export type VaultBenchPage = typeof bench;

declare global {
  interface Window {
    bench: VaultBenchPage;
  }
}

window.bench = bench;
