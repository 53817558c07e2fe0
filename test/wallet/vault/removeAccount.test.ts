import { describe, expect, it } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { listVaultAccounts } from "../../../wallet/vault/listVaultAccounts.ts";
import { removeAccount } from "../../../wallet/vault/removeAccount.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";

describe("removeAccount", () => {
  it("deletes one account's record after the password, leaving the others", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: "pw", source: { type: "privateKey", privateKey: KEY_0 } });
    await addAccount(store, { password: "pw", source: { type: "mnemonic", mnemonic: TEST_MNEMONIC, index: 1 } });
    await expect(removeAccount(store, { password: "guess", address: ACCOUNT_0 })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
    expect(store.records.size).toBe(2);
    await removeAccount(store, { password: "pw", address: ACCOUNT_0 });
    expect((await listVaultAccounts(store)).map((account) => account.address)).toEqual([ACCOUNT_1]);
    await expect(removeAccount(store, { password: "pw", address: ACCOUNT_0 })).rejects.toMatchObject({
      code: "VAULT_ACCOUNT_NOT_FOUND",
    });
  });
});
