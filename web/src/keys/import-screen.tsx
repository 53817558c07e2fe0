// `#/keys/import`: an account from a recovery phrase, a private key, or a Web3 Secret Storage keystore file
// (such as `npm start`'s demo keystores in .demo/gram/keystore) with its own password, added to the vault
// under the vault's password. Every check is the wallet library's (addAccount → wallet/keys); its message
// is shown as it is. The secret fields are cleared once the account is added.
import { useSignal } from "@preact/signals";
import type { AddAccountSource } from "../../../wallet/vault/addAccount.ts";
import { addToVault } from "./add-to-vault.ts";
import { NewPasswordFields, newPasswordProblem, PasswordField } from "./password-fields.tsx";
import { vaultAccounts } from "./vault.ts";
import "./keys.css";

type Kind = "mnemonic" | "privateKey" | "keystore";

const KINDS: { kind: Kind; label: string }[] = [
  { kind: "mnemonic", label: "Recovery phrase" },
  { kind: "privateKey", label: "Private key" },
  { kind: "keystore", label: "Keystore file" },
];

export function ImportScreen() {
  const kind = useSignal<Kind>("mnemonic");
  const phrase = useSignal("");
  const privateKey = useSignal("");
  const keystore = useSignal<File | undefined>(undefined);
  const keystorePassword = useSignal("");
  const name = useSignal("");
  const password = useSignal("");
  const repeat = useSignal("");
  const error = useSignal<string | undefined>(undefined);
  const progress = useSignal<number | undefined>(undefined);
  const busy = useSignal(false);
  const vaultExists = (vaultAccounts.value?.length ?? 0) > 0;

  const sourceOf = async (): Promise<AddAccountSource> => {
    switch (kind.value) {
      case "mnemonic":
        return { type: "mnemonic", mnemonic: phrase.value };
      case "privateKey":
        return { type: "privateKey", privateKey: privateKey.value.trim() };
      case "keystore": {
        const file = keystore.value;
        if (file === undefined) throw new Error("choose a keystore file (a .json file) to import");
        return {
          type: "keystore",
          json: await file.text(),
          password: keystorePassword.value,
          onProgress: (fraction) => {
            progress.value = fraction;
          },
        };
      }
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = vaultExists ? undefined : newPasswordProblem(password.value, repeat.value);
    if (problem !== undefined) {
      error.value = problem;
      return;
    }
    busy.value = true;
    error.value = undefined;
    try {
      await addToVault({
        password: password.value,
        source: await sourceOf(),
        name: name.value.trim() === "" ? undefined : name.value,
      });
      phrase.value = "";
      privateKey.value = "";
      keystorePassword.value = "";
      password.value = "";
      repeat.value = "";
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
      progress.value = undefined;
    }
  };

  return (
    <section class="screen" aria-labelledby="import-title">
      <h1 id="import-title">Import an account</h1>
      <form class="card form-fields" onSubmit={(event) => void submit(event)}>
        <fieldset>
          <legend>What do you have?</legend>
          {KINDS.map((option) => (
            <label key={option.kind}>
              <input
                type="radio"
                name="import-kind"
                value={option.kind}
                checked={kind.value === option.kind}
                onChange={() => {
                  kind.value = option.kind;
                  error.value = undefined;
                }}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        {kind.value === "mnemonic" && (
          <>
            <label for="import-phrase">Recovery phrase (12 or 24 words)</label>
            <textarea
              id="import-phrase"
              rows={3}
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              required
              value={phrase.value}
              onInput={(event) => {
                phrase.value = event.currentTarget.value;
              }}
            />
          </>
        )}
        {kind.value === "privateKey" && (
          <>
            <label for="import-key">Private key (0x and 64 hex digits)</label>
            <input
              id="import-key"
              type="password"
              autocomplete="off"
              spellcheck={false}
              required
              value={privateKey.value}
              onInput={(event) => {
                privateKey.value = event.currentTarget.value;
              }}
            />
          </>
        )}
        {kind.value === "keystore" && (
          <>
            <label for="import-file">Keystore file (Web3 Secret Storage, .json)</label>
            <input
              id="import-file"
              type="file"
              accept=".json,application/json"
              required
              onChange={(event) => {
                keystore.value = event.currentTarget.files?.[0];
              }}
            />
            <PasswordField password={keystorePassword} id="import-file-password" label="The keystore's password" />
          </>
        )}
        <label for="import-name">Account name (optional)</label>
        <input
          id="import-name"
          type="text"
          maxLength={64}
          value={name.value}
          onInput={(event) => {
            name.value = event.currentTarget.value;
          }}
        />
        {vaultExists ? (
          <PasswordField password={password} id="import-vault-password" label="Your vault's password" />
        ) : (
          <NewPasswordFields password={password} repeat={repeat} idPrefix="import" label="A password for this device" />
        )}
        <div class="form-actions">
          <button type="submit" disabled={busy.value}>
            {busy.value
              ? progress.value === undefined
                ? "Importing…"
                : `Decrypting the keystore… ${Math.round(progress.value * 100)}%`
              : "Import"}
          </button>
        </div>
      </form>
      {error.value !== undefined && (
        <p class="error keys-message" role="alert" data-testid="keys-error">
          {error.value}
        </p>
      )}
      <p>
        <a href="#/">Cancel</a>
      </p>
    </section>
  );
}
