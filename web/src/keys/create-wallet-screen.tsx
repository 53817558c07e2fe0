// `#/keys/create`: a new BIP-39 phrase, shown once; three of its words typed back; then the vault's
// password (a new one for an empty vault, with its strength hint; the vault's own otherwise). The phrase
// lives in this screen's memory only: leaving the screen forgets it, and it is never written anywhere
// but the encrypted vault record.
import { useSignal } from "@preact/signals";
import { useState } from "preact/hooks";
import { createMnemonic } from "../../../wallet/keys/createMnemonic.ts";
import { checkPhraseConfirmation } from "../../../wallet/vault/checkPhraseConfirmation.ts";
import { pickConfirmationWords } from "../../../wallet/vault/pickConfirmationWords.ts";
import { addToVault } from "./add-to-vault.ts";
import { NewPasswordFields, newPasswordProblem, PasswordField } from "./password-fields.tsx";
import { vaultAccounts } from "./vault.ts";
import "./keys.css";

type Step = "show" | "confirm" | "password";

export function CreateWalletScreen() {
  const [mnemonic, setMnemonic] = useState(() => createMnemonic());
  const [positions, setPositions] = useState(() => pickConfirmationWords({ mnemonic }));
  const step = useSignal<Step>("show");
  const answers = useSignal<Record<number, string>>({});
  const password = useSignal("");
  const repeat = useSignal("");
  const name = useSignal("");
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const vaultExists = (vaultAccounts.value?.length ?? 0) > 0;

  const startOver = () => {
    const fresh = createMnemonic();
    setMnemonic(fresh);
    setPositions(pickConfirmationWords({ mnemonic: fresh }));
    answers.value = {};
    error.value = undefined;
    step.value = "show";
  };

  const confirm = (event: Event) => {
    event.preventDefault();
    try {
      checkPhraseConfirmation({ mnemonic, answers: answers.value });
      error.value = undefined;
      answers.value = {};
      step.value = "password";
    } catch (failure) {
      error.value = (failure as Error).message;
    }
  };

  const save = async (event: Event) => {
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
        source: { type: "mnemonic", mnemonic },
        name: name.value.trim() === "" ? undefined : name.value,
      });
      password.value = "";
      repeat.value = "";
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
    }
  };

  return (
    <section class="screen" aria-labelledby="create-title">
      <h1 id="create-title">Create a wallet</h1>
      <p class="muted">Step {step.value === "show" ? 1 : step.value === "confirm" ? 2 : 3} of 3</p>
      {step.value === "show" && (
        <div class="card">
          <h2>Your recovery phrase</h2>
          <p class="notice notice-warning">
            Write these {mnemonic.split(" ").length} words on paper, in order, and keep them offline. They are shown
            once. Anyone who has them can take your money; Gram will never ask for them.
          </p>
          <ol class="phrase" data-testid="phrase">
            {mnemonic.split(" ").map((word, i) => (
              <li key={i}>{word}</li>
            ))}
          </ol>
          <div class="form-actions">
            <button type="button" data-testid="phrase-written" onClick={() => (step.value = "confirm")}>
              I have written it down
            </button>
          </div>
        </div>
      )}
      {step.value === "confirm" && (
        <form class="card form-fields" onSubmit={confirm}>
          <h2>Confirm the phrase</h2>
          <p class="muted">Type these words from your written copy.</p>
          {positions.map((position) => (
            <div class="form-fields" key={position}>
              <label for={`confirm-word-${position}`}>Word {position}</label>
              <input
                id={`confirm-word-${position}`}
                type="text"
                autocomplete="off"
                autocapitalize="off"
                spellcheck={false}
                required
                data-testid={`confirm-word-${position}`}
                value={answers.value[position] ?? ""}
                onInput={(event) => {
                  answers.value = { ...answers.value, [position]: event.currentTarget.value };
                }}
              />
            </div>
          ))}
          <div class="form-actions">
            <button type="submit">Confirm</button>
            <button type="button" class="button-quiet" onClick={startOver}>
              Start over with a new phrase
            </button>
          </div>
        </form>
      )}
      {step.value === "password" && (
        <form class="card form-fields" onSubmit={(event) => void save(event)}>
          <h2>{vaultExists ? "Add it to your vault" : "Choose a password"}</h2>
          <label for="create-name">Account name (optional)</label>
          <input
            id="create-name"
            type="text"
            maxLength={64}
            value={name.value}
            onInput={(event) => {
              name.value = event.currentTarget.value;
            }}
          />
          {vaultExists ? (
            <PasswordField password={password} id="create-vault-password" label="Your vault's password" />
          ) : (
            <NewPasswordFields password={password} repeat={repeat} idPrefix="create" />
          )}
          <div class="form-actions">
            <button type="submit" disabled={busy.value}>
              {busy.value ? "Encrypting…" : "Create the wallet"}
            </button>
          </div>
        </form>
      )}
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
