// How long an unlocked vault waits without activity before it locks. Not a secret, so it lives in
// localStorage (per origin, every tab); a change applies from the next unlock.
import { signal } from "@preact/signals";
import { DEFAULT_IDLE_MS } from "../../../wallet/vault/createAutoLock.ts";

const KEY = "gram:auto-lock-minutes";

/** The choices the settings screen offers, in minutes. */
export const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60] as const;

/** The auto-lock time in minutes (15 by default). */
export const autoLockMinutes = signal(readMinutes());

function readMinutes(): number {
  const stored = Number(localStorage.getItem(KEY) ?? Number.NaN);
  // Any positive number is honoured (a test may store a fraction of a minute); anything else is the default.
  return Number.isFinite(stored) && stored > 0 ? stored : DEFAULT_IDLE_MS / 60_000;
}

export function setAutoLockMinutes(minutes: number) {
  if (!(Number.isFinite(minutes) && minutes > 0))
    throw new RangeError(`auto-lock: got ${minutes}, expected minutes > 0`);
  localStorage.setItem(KEY, String(minutes));
  autoLockMinutes.value = minutes;
}

/** The idle time to unlock with, in milliseconds. */
export function autoLockMs(): number {
  autoLockMinutes.value = readMinutes();
  return Math.round(autoLockMinutes.value * 60_000);
}
