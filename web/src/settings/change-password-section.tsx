// A new vault password: every record re-encrypted under a new salt in one transaction (changePassword).
// The unlocked session goes on; the next unlock takes the new password.
import { useSignal } from "@preact/signals";
import { changePassword } from "../../../wallet/vault/changePassword.ts";
import { NewPasswordFields, newPasswordProblem, PasswordField } from "../keys/password-fields.tsx";
import { vaultAccounts, vaultStore } from "../keys/vault.ts";

export function ChangePasswordSection() {
  const password = useSignal("");
  const newPassword = useSignal("");
  const repeat = useSignal("");
  const message = useSignal<{ text: string; error: boolean } | undefined>(undefined);
  const busy = useSignal(false);
  if ((vaultAccounts.value?.length ?? 0) === 0) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = newPasswordProblem(newPassword.value, repeat.value);
    if (problem !== undefined) {
      message.value = { text: problem, error: true };
      return;
    }
    busy.value = true;
    message.value = undefined;
    try {
      await changePassword(vaultStore, { password: password.value, newPassword: newPassword.value });
      message.value = { text: "Password changed: use the new one from the next unlock.", error: false };
      newPassword.value = "";
      repeat.value = "";
    } catch (failure) {
      message.value = { text: (failure as Error).message, error: true };
    } finally {
      password.value = "";
      busy.value = false;
    }
  };

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form class="form-fields" onSubmit={(event) => void submit(event)}>
        <PasswordField password={password} id="change-current" label="Current password" />
        <NewPasswordFields password={newPassword} repeat={repeat} idPrefix="change" />
        <div class="form-actions">
          <button type="submit" disabled={busy.value}>
            {busy.value ? "Re-encrypting…" : "Change the password"}
          </button>
        </div>
      </form>
      {message.value !== undefined && (
        <p
          class={message.value.error ? "error keys-message" : "success keys-message"}
          role={message.value.error ? "alert" : "status"}
        >
          {message.value.text}
        </p>
      )}
    </section>
  );
}
