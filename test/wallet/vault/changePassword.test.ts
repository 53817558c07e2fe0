import { describe, expect, it } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { changePassword } from "../../../wallet/vault/changePassword.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";

describe("changePassword", () => {
  it("re-encrypts every record under a new salt: the new password opens them all, the old none", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: "old", name: "key", source: { type: "privateKey", privateKey: KEY_0 } });
    await addAccount(store, { password: "old", source: { type: "mnemonic", mnemonic: TEST_MNEMONIC, index: 1 } });
    const before = [...store.records.values()];
    await changePassword(store, { password: "old", newPassword: "new" });
    const after = [...store.records.values()];
    expect(new Set(after.map((record) => record.kdf.salt)).size).toBe(1);
    expect(after[0]?.kdf.salt).not.toBe(before[0]?.kdf.salt);
    expect(after.map(({ name, createdAt, source }) => ({ name, createdAt, source }))).toEqual(
      before.map(({ name, createdAt, source }) => ({ name, createdAt, source })),
    );
    const session = await unlockVault(store, { password: "new", idleMs: null });
    expect(session.accounts.map((account) => account.address)).toEqual([ACCOUNT_0, ACCOUNT_1]);
    await expect(unlockVault(store, { password: "old" })).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
  });

  it("refuses a wrong current password or an empty new one, changing nothing", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: "old", source: { type: "privateKey", privateKey: KEY_0 } });
    const before = structuredClone([...store.records.values()]);
    await expect(changePassword(store, { password: "guess", newPassword: "new" })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    await expect(changePassword(store, { password: "old", newPassword: "" })).rejects.toMatchObject({
      code: "EMPTY_PASSWORD",
    });
    expect([...store.records.values()]).toEqual(before);
  });
});
