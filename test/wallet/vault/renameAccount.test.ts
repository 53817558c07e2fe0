import { describe, expect, it } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { renameAccount } from "../../../wallet/vault/renameAccount.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0 } from "../../kit/accounts.ts";

describe("renameAccount", () => {
  it("renames without the password, and the renamed record still unlocks", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: "pw", source: { type: "privateKey", privateKey: KEY_0 } });
    await renameAccount(store, { address: ACCOUNT_0, name: "  savings " });
    const session = await unlockVault(store, { password: "pw", idleMs: null });
    expect(session.accounts.map((account) => account.name)).toEqual(["savings"]);
  });

  it("refuses an empty or too long name, and an address not in the vault", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: "pw", source: { type: "privateKey", privateKey: KEY_0 } });
    for (const name of [" ", "x".repeat(65)]) {
      await expect(renameAccount(store, { address: ACCOUNT_0, name })).rejects.toMatchObject({
        code: "INVALID_ACCOUNT_NAME",
      });
    }
    await expect(renameAccount(store, { address: ACCOUNT_1, name: "x" })).rejects.toMatchObject({
      code: "VAULT_ACCOUNT_NOT_FOUND",
    });
    await expect(
      addAccount(store, {
        password: "pw",
        name: "",
        source: { type: "privateKey", privateKey: `0x${"2".repeat(64)}` },
      }),
    ).rejects.toMatchObject({ code: "INVALID_ACCOUNT_NAME" });
  });
});
