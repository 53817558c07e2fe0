import { describe, expect, it } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { exportPhrase } from "../../../wallet/vault/exportPhrase.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";

const PASSWORD = "correct horse battery staple";

describe("exportPhrase", () => {
  it("gives the phrase and path of a phrase account only with the vault's password", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, {
      password: PASSWORD,
      source: { type: "mnemonic", mnemonic: `  ${TEST_MNEMONIC.toUpperCase()} ` },
    });
    await addAccount(store, { password: PASSWORD, source: { type: "derive", from: ACCOUNT_0 } });
    expect(await exportPhrase(store, { password: PASSWORD, address: ACCOUNT_1 })).toEqual({
      mnemonic: TEST_MNEMONIC,
      path: "m/44'/60'/0'/0/1",
    });
    await expect(exportPhrase(store, { password: "guess", address: ACCOUNT_0 })).rejects.toMatchObject({
      code: "WRONG_PASSWORD",
    });
  });

  it("has no phrase for a private-key account, and none for an address not in the vault", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: PASSWORD, source: { type: "privateKey", privateKey: KEY_0 } });
    await expect(exportPhrase(store, { password: PASSWORD, address: ACCOUNT_0 })).rejects.toMatchObject({
      code: "NO_MNEMONIC",
    });
    await expect(exportPhrase(store, { password: PASSWORD, address: ACCOUNT_1 })).rejects.toMatchObject({
      code: "VAULT_ACCOUNT_NOT_FOUND",
    });
  });
});
