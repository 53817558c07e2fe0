// How long the unlocked vault waits without a tap or a key before it locks (15 minutes by default).
import { useSignal } from "@preact/signals";
import { AUTO_LOCK_CHOICES, autoLockMinutes, setAutoLockMinutes } from "./auto-lock-setting.ts";

export function AutoLockSection() {
  const saved = useSignal(false);
  const current = autoLockMinutes.value;
  const choices: number[] = AUTO_LOCK_CHOICES.includes(current as (typeof AUTO_LOCK_CHOICES)[number])
    ? [...AUTO_LOCK_CHOICES]
    : [...AUTO_LOCK_CHOICES, current].sort((a, b) => a - b);
  return (
    <section class="card form-fields" aria-labelledby="auto-lock-title">
      <h2 id="auto-lock-title">Auto-lock</h2>
      <label for="auto-lock-minutes">Lock after this long without activity</label>
      <select
        id="auto-lock-minutes"
        data-testid="auto-lock-minutes"
        value={String(current)}
        onChange={(event) => {
          setAutoLockMinutes(Number(event.currentTarget.value));
          saved.value = true;
        }}
      >
        {choices.map((minutes) => (
          <option key={minutes} value={String(minutes)}>
            {minutes === 1 ? "1 minute" : `${minutes} minutes`}
          </option>
        ))}
      </select>
      <p class="muted" aria-live="polite">
        {saved.value ? "Saved: it applies from the next unlock. " : ""}
        Locking forgets the keys in this tab and in every other tab of Gram.
      </p>
    </section>
  );
}
