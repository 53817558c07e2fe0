// The recovery phrase of an account, only after the vault's password is typed again (even unlocked:
// someone at an unlocked screen must not read it). Shown until "Hide", leaving the screen, or a lock;
// held in this component's memory only and never logged.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Address } from "viem";
import { exportPhrase } from "../../../wallet/vault/exportPhrase.ts";
import { AccountSelect } from "../keys/account-select.tsx";
import { PasswordField } from "../keys/password-fields.tsx";
import { vaultAccounts, vaultSession, vaultStore } from "../keys/vault.ts";
import { session } from "../session.ts";

export function ExportPhraseSection() {
  const accounts = (vaultAccounts.value ?? []).filter((account) => account.path !== undefined);
  const chosen = useSignal<Address | undefined>(undefined);
  const password = useSignal("");
  const shown = useSignal<{ words: string[]; path: string } | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const current = session.value?.address;
  const address =
    chosen.value ?? accounts.find((account) => account.address === current)?.address ?? accounts[0]?.address;

  // A lock hides the phrase at once.
  useEffect(() => {
    const unlocked = vaultSession.value;
    return unlocked?.onLock(() => {
      shown.value = undefined;
    });
  }, [vaultSession.value]);

  if (accounts.length === 0) {
    return (
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">Recovery phrase</h2>
        <p class="muted">No account of this vault comes from a recovery phrase: there is no phrase to export.</p>
      </section>
    );
  }

  const reveal = async (event: Event) => {
    event.preventDefault();
    if (address === undefined) return;
    busy.value = true;
    error.value = undefined;
    try {
      const { mnemonic, path } = await exportPhrase(vaultStore, { password: password.value, address });
      shown.value = { words: mnemonic.split(" "), path };
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      password.value = "";
      busy.value = false;
    }
  };

  return (
    <section class="card form-fields" aria-labelledby="export-title">
      <h2 id="export-title">Recovery phrase</h2>
      {shown.value === undefined ? (
        <form class="form-fields" onSubmit={(event) => void reveal(event)}>
          <p class="muted">Type your password again to see the phrase. Make sure nobody can see your screen.</p>
          <label for="export-account">Account</label>
          <AccountSelect
            id="export-account"
            accounts={accounts}
            value={address}
            onChange={(chosenAddress) => {
              chosen.value = chosenAddress;
            }}
          />
          <PasswordField
            password={password}
            id="export-password"
            label="Your vault's password"
            testId="export-password"
          />
          <div class="form-actions">
            <button type="submit" disabled={busy.value} data-testid="export-phrase">
              Show the phrase
            </button>
          </div>
        </form>
      ) : (
        <>
          <p class="notice notice-warning">
            Anyone with these words can take this account's money. Write them down; never type them into a site.
          </p>
          <ol class="phrase" data-testid="exported-phrase">
            {shown.value.words.map((word, i) => (
              <li key={i}>{word}</li>
            ))}
          </ol>
          <p class="muted">Derivation path of this account: {shown.value.path}</p>
          <div class="form-actions">
            <button type="button" data-testid="hide-phrase" onClick={() => (shown.value = undefined)}>
              Hide the phrase
            </button>
          </div>
        </>
      )}
      {error.value !== undefined && (
        <p class="error keys-message" role="alert" data-testid="export-error">
          {error.value}
        </p>
      )}
    </section>
  );
}
