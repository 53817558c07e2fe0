// The welcome screen's vault part. With accounts in the vault: pick one (listed without the password),
// type the password, unlock. A wrong password shows the vault's message and changes nothing. Without
// accounts: create a wallet or import one. A reload always lands here, locked: keys are only in memory.
import { useSignal } from "@preact/signals";
import type { Address } from "viem";
import { navigate, path } from "../router.ts";
import { AccountSelect } from "./account-select.tsx";
import { PasswordField } from "./password-fields.tsx";
import { activeAddress, unlockAs, vaultAccounts } from "./vault.ts";
import "./keys.css";

export function UnlockCard() {
  const accounts = vaultAccounts.value;
  const chosen = useSignal<Address | undefined>(undefined);
  const password = useSignal("");
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  if (accounts === undefined) return null;

  if (accounts.length === 0) {
    return (
      <section class="card" aria-labelledby="vault-title">
        <h2 id="vault-title">Your wallet</h2>
        <p class="muted">
          Create a new wallet, or import one you have (a recovery phrase, a private key or a keystore file). Keys are
          encrypted on this device with your password.
        </p>
        <div class="button-row">
          <a class="link-button" href="#/keys/create" data-testid="create-wallet">
            Create a wallet
          </a>
          <a class="link-button link-button-quiet" href="#/keys/import" data-testid="import-wallet">
            Import
          </a>
        </div>
      </section>
    );
  }

  const remembered = activeAddress();
  const address =
    chosen.value ?? (accounts.some((account) => account.address === remembered) ? remembered : accounts[0]?.address);

  const unlock = async (event: Event) => {
    event.preventDefault();
    if (address === undefined) return;
    busy.value = true;
    error.value = undefined;
    try {
      await unlockAs({ address, password: password.value });
      password.value = "";
      // Unlocked from the welcome route: the chats; from a route that asked for an account: stay there.
      if (path.value === "/") navigate("/chats");
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
    }
  };

  return (
    <section class="card" aria-labelledby="unlock-title">
      <h2 id="unlock-title">Unlock your wallet</h2>
      <form class="form-fields" onSubmit={(event) => void unlock(event)}>
        <label for="unlock-account">Account</label>
        <AccountSelect
          id="unlock-account"
          testId="unlock-account"
          accounts={accounts}
          value={address}
          onChange={(chosenAddress) => {
            chosen.value = chosenAddress;
          }}
        />
        <PasswordField password={password} id="unlock-password" testId="unlock-password" />
        <div class="form-actions">
          <button type="submit" disabled={busy.value} data-testid="unlock">
            {busy.value ? "Unlocking…" : "Unlock"}
          </button>
        </div>
        {error.value !== undefined && (
          <p class="error keys-message" role="alert" data-testid="unlock-error">
            {error.value}
          </p>
        )}
      </form>
      <p class="muted">
        <a href="#/keys/create">Create another wallet</a> · <a href="#/keys/import">Import an account</a>
      </p>
    </section>
  );
}
