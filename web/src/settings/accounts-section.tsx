// The vault's accounts: each with its name, address and where it came from; rename (no password: the
// name is a label), switch to it (this tab locks and offers it unlocked with the password), remove (with
// the password). Adding: the next account of a phrase already in the vault (with the password), a new
// phrase, or an import.
import { useSignal } from "@preact/signals";
import type { Address } from "viem";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import type { VaultAccount } from "../../../wallet/vault/listVaultAccounts.ts";
import { removeAccount } from "../../../wallet/vault/removeAccount.ts";
import { renameAccount } from "../../../wallet/vault/renameAccount.ts";
import { PasswordField } from "../keys/password-fields.tsx";
import { lockThisTab, refreshVaultAccounts, setActiveAddress, vaultAccounts, vaultStore } from "../keys/vault.ts";
import { navigate } from "../router.ts";
import { session } from "../session.ts";

const SOURCES: Record<VaultAccount["source"], string> = {
  mnemonic: "from a recovery phrase",
  privateKey: "imported private key",
};

export function AccountsSection() {
  const accounts = vaultAccounts.value ?? [];
  const phraseAccount = accounts.find((account) => account.path !== undefined);
  const password = useSignal("");
  const message = useSignal<{ text: string; error: boolean } | undefined>(undefined);
  const busy = useSignal(false);

  const run = async (work: () => Promise<string>) => {
    busy.value = true;
    message.value = undefined;
    try {
      message.value = { text: await work(), error: false };
    } catch (failure) {
      message.value = { text: (failure as Error).message, error: true };
    } finally {
      busy.value = false;
    }
  };

  const addNext = (event: Event) => {
    event.preventDefault();
    if (phraseAccount === undefined) return;
    void run(async () => {
      const added = await addAccount(vaultStore, {
        password: password.value,
        source: { type: "derive", from: phraseAccount.address },
      });
      password.value = "";
      await refreshVaultAccounts();
      return `Added ${added.name} (${added.address}, ${added.path}). Switch to it to use it.`;
    });
  };

  return (
    <section class="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      <ul class="account-list" data-testid="account-list">
        {accounts.map((account) => (
          <AccountItem key={account.address} account={account} />
        ))}
      </ul>
      {phraseAccount !== undefined && (
        <form class="form-fields" onSubmit={addNext}>
          <h3>Add the next account of your phrase</h3>
          <p class="muted">The next address of {phraseAccount.name}'s recovery phrase: the same backup covers it.</p>
          <PasswordField password={password} id="add-next-password" label="Your vault's password" />
          <div class="form-actions">
            <button type="submit" disabled={busy.value}>
              Add the next account
            </button>
          </div>
        </form>
      )}
      {message.value !== undefined && (
        <p
          class={message.value.error ? "error keys-message" : "success keys-message"}
          role={message.value.error ? "alert" : "status"}
        >
          {message.value.text}
        </p>
      )}
      <p class="button-row">
        <a class="link-button link-button-quiet" href="#/keys/import">
          Import an account
        </a>
        <a class="link-button link-button-quiet" href="#/keys/create">
          Create a new phrase
        </a>
      </p>
    </section>
  );
}

function AccountItem({ account }: { account: VaultAccount }) {
  const mode = useSignal<"view" | "rename" | "remove">("view");
  const name = useSignal(account.name);
  const password = useSignal("");
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const active = session.value?.address === account.address;
  const slug = account.address.slice(2, 8);

  const act = async (event: Event, work: () => Promise<void>) => {
    event.preventDefault();
    busy.value = true;
    error.value = undefined;
    try {
      await work();
      mode.value = "view";
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
      password.value = "";
    }
  };

  const rename = (event: Event) =>
    act(event, async () => {
      await renameAccount(vaultStore, { address: account.address, name: name.value });
      await refreshVaultAccounts();
    });

  const remove = (event: Event) =>
    act(event, async () => {
      await removeAccount(vaultStore, { password: password.value, address: account.address });
      await refreshVaultAccounts();
      if (active) {
        lockThisTab();
        navigate("/");
      }
    });

  return (
    <li data-testid="account-item" data-address={account.address}>
      <span class="account-name">
        {account.name}
        {active && " (this tab)"}
      </span>
      <span class="mono address">{account.address}</span>
      <span class="muted">
        {SOURCES[account.source]}
        {account.path === undefined ? "" : ` · ${account.path}`}
      </span>
      {mode.value === "view" && (
        <div class="button-row">
          <button type="button" class="button-quiet" onClick={() => (mode.value = "rename")}>
            Rename<span class="visually-hidden"> {account.name}</span>
          </button>
          {!active && <SwitchButton address={account.address} name={account.name} />}
          <button type="button" class="button-quiet" onClick={() => (mode.value = "remove")}>
            Remove<span class="visually-hidden"> {account.name}</span>
          </button>
        </div>
      )}
      {mode.value === "rename" && (
        <form class="form-fields" onSubmit={(event) => void rename(event)}>
          <label for={`rename-${slug}`}>New name</label>
          <input
            id={`rename-${slug}`}
            type="text"
            maxLength={64}
            required
            value={name.value}
            onInput={(event) => {
              name.value = event.currentTarget.value;
            }}
          />
          <div class="form-actions">
            <button type="submit" disabled={busy.value}>
              Save
            </button>
            <button type="button" class="button-quiet" onClick={() => (mode.value = "view")}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {mode.value === "remove" && (
        <form class="form-fields" onSubmit={(event) => void remove(event)}>
          <p class="notice notice-warning">
            Removing deletes this account's key from this device. Without its recovery phrase or key written elsewhere,
            its money is lost.
          </p>
          <PasswordField password={password} id={`remove-${slug}`} label="Your vault's password" />
          <div class="form-actions">
            <button type="submit" disabled={busy.value}>
              Remove {account.name}
            </button>
            <button type="button" class="button-quiet" onClick={() => (mode.value = "view")}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error.value !== undefined && (
        <p class="error keys-message" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

function SwitchButton({ address, name }: { address: Address; name: string }) {
  return (
    <button
      type="button"
      class="button-quiet"
      onClick={() => {
        // This tab locks (the others keep their sessions) and offers the chosen account to unlock.
        setActiveAddress(address);
        lockThisTab();
        void session.value?.close();
        navigate("/");
      }}
    >
      Switch<span class="visually-hidden"> to {name}</span>
    </button>
  );
}
