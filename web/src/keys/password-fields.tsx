// The password fields of a vault: a NEW password (the vault is empty: it sets the password for every account)
// with its strength hint and a second entry to catch a typo, or the vault's EXISTING password (adding an
// account to a vault checks it). The values live in the caller's signals and are cleared once used.
import type { Signal } from "@preact/signals";
import { MIN_PASSWORD_LENGTH, ratePassword } from "../../../wallet/vault/ratePassword.ts";

export interface NewPasswordProps {
  password: Signal<string>;
  repeat: Signal<string>;
  /** The label of the first field. */
  label?: string;
  idPrefix: string;
}

export function NewPasswordFields({ password, repeat, label = "New password", idPrefix }: NewPasswordProps) {
  const rating = ratePassword({ password: password.value });
  const mismatch = repeat.value !== "" && repeat.value !== password.value;
  return (
    <div class="form-fields">
      <p class="muted" id={`${idPrefix}-why`}>
        This password encrypts your keys on this device. Anyone who copies this browser's data can try to guess it, so
        make it long: a passphrase of four or more random words. It cannot be recovered — your recovery phrase can.
      </p>
      <label for={`${idPrefix}-password`}>{label}</label>
      <input
        id={`${idPrefix}-password`}
        type="password"
        autocomplete="new-password"
        required
        aria-describedby={`${idPrefix}-why ${idPrefix}-strength`}
        value={password.value}
        onInput={(event) => {
          password.value = event.currentTarget.value;
        }}
      />
      <p
        id={`${idPrefix}-strength`}
        class={`strength strength-${password.value === "" ? "empty" : rating.level}`}
        data-testid="password-strength"
        data-level={password.value === "" ? "empty" : rating.level}
        aria-live="polite"
      >
        {password.value === "" ? `At least ${MIN_PASSWORD_LENGTH} characters.` : rating.hint}
      </p>
      <label for={`${idPrefix}-repeat`}>Repeat the password</label>
      <input
        id={`${idPrefix}-repeat`}
        type="password"
        autocomplete="new-password"
        required
        aria-invalid={mismatch}
        value={repeat.value}
        onInput={(event) => {
          repeat.value = event.currentTarget.value;
        }}
      />
      {mismatch && <p class="error">The two passwords differ.</p>}
    </div>
  );
}

/** Why a new password cannot be used yet, or undefined when it can. */
export function newPasswordProblem(password: string, repeat: string): string | undefined {
  const rating = ratePassword({ password });
  if (rating.level === "too-short") return rating.hint;
  if (password !== repeat) return "The two passwords differ: type the same password twice.";
  return undefined;
}

export function PasswordField({
  password,
  id,
  label = "Password",
  testId,
}: {
  password: Signal<string>;
  id: string;
  label?: string;
  testId?: string;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="password"
        autocomplete="current-password"
        required
        data-testid={testId}
        value={password.value}
        onInput={(event) => {
          password.value = event.currentTarget.value;
        }}
      />
    </>
  );
}
