import type { Address, LocalAccount } from "viem";
import { privateKeyToAccount, toAccount } from "viem/accounts";
import { type AutoLock, createAutoLock, DEFAULT_IDLE_MS } from "./createAutoLock.ts";
import { VaultAccountNotFoundError, VaultLockedError } from "./errors.ts";
import type { VaultAccount } from "./listVaultAccounts.ts";
import { openRecords, readRecords } from "./vault-open.ts";
import type { VaultStore } from "./vault-store.ts";

export interface UnlockVaultParameters {
  password: string;
  /** Lock after this long without `touch`; `null` never locks on idle. @default 900000 (15 minutes) */
  idleMs?: number | null | undefined;
}

/** An unlocked vault: its accounts able to sign, until `lock`. */
export interface VaultSession {
  readonly accounts: readonly VaultAccount[];
  /** True once locked, on demand or after idle; every signer then refuses with VAULT_LOCKED. */
  readonly locked: boolean;
  /** A viem account that signs with `address`'s key while the session is unlocked. */
  account(address: Address): LocalAccount;
  /** Activity (a click, a key): restarts the idle time. */
  touch(): void;
  /** Drops every key from the session now. */
  lock(): void;
  /** Runs `listener` when the session locks; returns a function that removes it. */
  onLock(listener: () => void): () => void;
}

export type UnlockVaultReturnType = VaultSession;

/**
 * Opens every record of the vault with the password and holds the accounts' keys in memory, behind viem
 * accounts that stop signing once the session locks. WebCrypto has no secp256k1, so the keys must be in
 * JavaScript's memory to sign: locking drops every reference to them (a string cannot be wiped; the
 * garbage collector reclaims it).
 *
 * @example
 * const session = await unlockVault(store, { password });
 * const signature = await session.account(address).signMessage({ message: "hello" });
 * session.lock();
 */
export async function unlockVault(
  store: VaultStore,
  { password, idleMs = DEFAULT_IDLE_MS }: UnlockVaultParameters,
): Promise<UnlockVaultReturnType> {
  const opened = await openRecords(await readRecords(store), password);
  let signers: Map<Address, LocalAccount> | undefined = new Map(
    opened.map(({ record, secret }) => [record.address, privateKeyToAccount(secret.privateKey)]),
  );
  const accounts = opened.map(({ record }) => ({
    address: record.address,
    name: record.name,
    source: record.source,
    path: record.path,
    createdAt: record.createdAt,
  }));
  const listeners = new Set<() => void>();
  let autoLock: AutoLock | undefined;

  const signer = (address: Address): LocalAccount => {
    if (signers === undefined)
      throw new VaultLockedError("the vault is locked", { hint: "unlock it with the password" });
    const found = signers.get(address);
    if (found === undefined) throw new VaultAccountNotFoundError(`${address} is not in the vault`);
    autoLock?.touch();
    return found;
  };

  const session: VaultSession = {
    accounts,
    get locked() {
      return signers === undefined;
    },
    account(address) {
      const { publicKey } = signer(address);
      // The session's own account: each call looks the key up again, so a locked session signs nothing.
      return {
        ...toAccount({
          address,
          sign: async (parameters) => (signer(address).sign as NonNullable<LocalAccount["sign"]>)(parameters),
          signMessage: async (parameters) => signer(address).signMessage(parameters),
          signTransaction: async (transaction, options) => signer(address).signTransaction(transaction, options),
          signTypedData: async (parameters) => signer(address).signTypedData(parameters),
          signAuthorization: async (parameters) =>
            (signer(address).signAuthorization as NonNullable<LocalAccount["signAuthorization"]>)(parameters),
        }),
        publicKey,
      } as LocalAccount;
    },
    touch() {
      autoLock?.touch();
    },
    lock() {
      if (signers === undefined) return;
      signers.clear();
      signers = undefined;
      autoLock?.stop();
      for (const listener of listeners) listener();
      listeners.clear();
    },
    onLock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  if (idleMs !== null) autoLock = createAutoLock({ idleMs, onIdle: () => session.lock() });
  return session;
}
