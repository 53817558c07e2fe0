// The tab's key vault: the IndexedDB store, its accounts (listed without the password), and the unlocked
// vault session behind the app session. Keys live only in the unlocked session's memory: a reload or a
// lock drops them (the nav's Lock closes the session, which locks the vault; idle time or a lock in another
// tab of this origin locks the vault, which closes the session). What this tab remembers across a reload is
// the active account's ADDRESS (sessionStorage: not a secret), so the unlock screen offers the same
// account; the tab always comes back locked.
import { signal } from "@preact/signals";
import type { Address } from "viem";
import type { VaultAccount } from "../../../wallet/vault/listVaultAccounts.ts";
import type { VaultSession } from "../../../wallet/vault/unlockVault.ts";
import { createKeyVaultStore } from "../../storage/key-vault-store.ts";
import { openSession, type Session, session } from "../session.ts";
import { autoLockMs } from "../settings/auto-lock-setting.ts";

/** The vault's records in this origin's IndexedDB (database `gram-keys`). */
export const vaultStore = createKeyVaultStore();

/** The vault's accounts (addresses and names only); undefined until first read. */
export const vaultAccounts = signal<VaultAccount[] | undefined>(undefined);

/** The unlocked vault of this tab, if any. */
export const vaultSession = signal<VaultSession | undefined>(undefined);

/** The channel every tab of the origin listens on; only the word "lock" is ever sent on it. */
export const LOCK_CHANNEL = "gram-vault";
const ACTIVE_KEY = "gram:active-account";

/** Reads the vault's accounts again (after an add, a rename or a removal). */
export async function refreshVaultAccounts(): Promise<VaultAccount[]> {
  // The vault library (viem's accounts, BIP-32, the KDFs) is a chunk of its own: not in the first load.
  const { listVaultAccounts } = await import("../../../wallet/vault/listVaultAccounts.ts");
  const accounts = await listVaultAccounts(vaultStore);
  vaultAccounts.value = accounts;
  return accounts;
}

/** The account this tab used last (its address only), if it is still in the vault. */
export function activeAddress(): Address | undefined {
  return (sessionStorage.getItem(ACTIVE_KEY) as Address | null) ?? undefined;
}

export function setActiveAddress(address: Address) {
  sessionStorage.setItem(ACTIVE_KEY, address);
}

/**
 * Unlocks the vault with the password and signs the tab in as `address`. A wrong password throws the
 * vault's error and changes nothing; so does a refused app session (the vault is locked again).
 *
 * @example
 * await unlockAs({ address, password });
 */
export async function unlockAs({ address, password }: { address: Address; password: string }): Promise<void> {
  // npm run bench:web reads these marks: the KDF (and the records' decryption), then the app's work after it.
  const { unlockVault } = await import("../../../wallet/vault/unlockVault.ts");
  performance.mark("gram:unlock");
  const unlocked = await unlockVault(vaultStore, { password, idleMs: autoLockMs() });
  performance.mark("gram:unlocked");
  const account = unlocked.accounts.find((candidate) => candidate.address === address);
  if (account === undefined) {
    unlocked.lock();
    throw new Error(`${address} is not in this vault`);
  }
  // Another account of this tab's vault: its session ends here without locking the other tabs.
  const previous = session.value;
  quietly(() => vaultSession.value?.lock());
  await previous?.close();
  let opened: Session | undefined;
  unlocked.onLock(() => {
    if (vaultSession.value === unlocked) vaultSession.value = undefined;
    // Idle, on demand, or another tab: the app session that signs with these keys ends with them.
    void opened?.close();
    if (!quiet) channel?.postMessage("lock");
  });
  vaultSession.value = unlocked;
  try {
    opened = await openSession({
      account: unlocked.account(address),
      name: account.name,
      onClose: () => unlocked.lock(),
    });
  } catch (error) {
    unlocked.lock();
    throw error;
  }
  if (unlocked.locked) {
    // Locked while the session opened (a lock in another tab, or a very short idle time).
    await opened.close();
    throw new Error("the vault locked while the account was opening: unlock it again");
  }
  setActiveAddress(address);
}

/** Locks this tab only (switching to another account of the vault): the other tabs stay as they are. */
export function lockThisTab() {
  quietly(() => vaultSession.value?.lock());
}

let quiet = false;
let channel: BroadcastChannel | undefined;

function quietly(run: () => void) {
  quiet = true;
  try {
    run();
  } finally {
    quiet = false;
  }
}

/** Starts listening: user input is activity for the auto-lock; a "lock" from another tab locks this one. */
export function watchVault() {
  const touch = () => vaultSession.value?.touch();
  document.addEventListener("pointerdown", touch, { capture: true, passive: true });
  document.addEventListener("keydown", touch, { capture: true, passive: true });
  channel = new BroadcastChannel(LOCK_CHANNEL);
  channel.onmessage = (event: MessageEvent) => {
    if (event.data === "lock") quietly(() => vaultSession.value?.lock());
  };
  void refreshVaultAccounts().catch(() => {});
}
