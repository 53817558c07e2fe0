import { recoverMessageAddress } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { ACCOUNT_0, ACCOUNT_1, TEST_MNEMONIC } from "../../kit/accounts.ts";

const PASSWORD = "correct horse battery staple";

async function twoAccounts() {
  const store = createMemoryVaultStore();
  await addAccount(store, { password: PASSWORD, source: { type: "mnemonic", mnemonic: TEST_MNEMONIC } });
  await addAccount(store, { password: PASSWORD, source: { type: "derive", from: ACCOUNT_0 } });
  return store;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("unlockVault", () => {
  it("signs with every account of the vault, each signature recovering to its address", async () => {
    const session = await unlockVault(await twoAccounts(), { password: PASSWORD, idleMs: null });
    for (const address of [ACCOUNT_0, ACCOUNT_1]) {
      const signature = await session.account(address).signMessage({ message: "gram" });
      expect(await recoverMessageAddress({ message: "gram", signature })).toBe(address);
    }
  });

  it("refuses a wrong password with WRONG_PASSWORD and nothing else in the message", async () => {
    const error = await unlockVault(await twoAccounts(), { password: "wrong" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "WRONG_PASSWORD", shortMessage: "wrong password" });
  });

  it("on lock, an account handed out before stops signing (VAULT_LOCKED) and listeners run once", async () => {
    const session = await unlockVault(await twoAccounts(), { password: PASSWORD, idleMs: null });
    const account = session.account(ACCOUNT_0);
    const onLock = vi.fn();
    session.onLock(onLock);
    session.lock();
    session.lock();
    expect(session.locked).toBe(true);
    expect(onLock).toHaveBeenCalledTimes(1);
    await expect(account.signMessage({ message: "gram" })).rejects.toMatchObject({ code: "VAULT_LOCKED" });
    expect(codeOf(() => session.account(ACCOUNT_1))).toBe("VAULT_LOCKED");
  });

  it("locks after the idle time without activity, and activity (touch, signing) postpones it", async () => {
    const store = await twoAccounts();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const session = await unlockVault(store, { password: PASSWORD, idleMs: 60_000 });
    vi.advanceTimersByTime(50_000);
    session.touch();
    vi.advanceTimersByTime(50_000);
    await session.account(ACCOUNT_0).signMessage({ message: "still here" });
    vi.advanceTimersByTime(59_000);
    expect(session.locked).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(session.locked).toBe(true);
  });

  it("locks by default after 15 minutes", async () => {
    const store = await twoAccounts();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const session = await unlockVault(store, { password: PASSWORD });
    vi.advanceTimersByTime(15 * 60_000 - 1);
    expect(session.locked).toBe(false);
    vi.advanceTimersByTime(1);
    expect(session.locked).toBe(true);
  });

  it("lists an empty vault as unlocked with no accounts", async () => {
    const session = await unlockVault(createMemoryVaultStore(), { password: PASSWORD, idleMs: null });
    expect(session.accounts).toEqual([]);
    expect(codeOf(() => session.account(ACCOUNT_0))).toBe("VAULT_ACCOUNT_NOT_FOUND");
  });
});
