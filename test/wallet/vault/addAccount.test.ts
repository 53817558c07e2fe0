import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, prepareDemoWallet } from "../../../scripts/lib/demo-wallet.ts";
import { keystoreDir } from "../../../wallet/home.ts";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { listVaultAccounts } from "../../../wallet/vault/listVaultAccounts.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { tempHome } from "../../kit/wallet-helpers.ts";

const PASSWORD = "correct horse battery staple";

async function codeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("addAccount", () => {
  it("derives Hardhat's mnemonic at m/44'/60'/0'/0/0 to 0xf39F…2266, then the next index on 'derive'", async () => {
    const store = createMemoryVaultStore();
    const first = await addAccount(store, {
      password: PASSWORD,
      source: { type: "mnemonic", mnemonic: TEST_MNEMONIC },
    });
    expect(first).toEqual({ address: ACCOUNT_0, name: "Account 1", source: "mnemonic", path: "m/44'/60'/0'/0/0" });
    const second = await addAccount(store, {
      password: PASSWORD,
      name: "savings",
      source: { type: "derive", from: ACCOUNT_0 },
    });
    expect(second).toEqual({ address: ACCOUNT_1, name: "savings", source: "mnemonic", path: "m/44'/60'/0'/0/1" });
    expect((await listVaultAccounts(store)).map((account) => [account.address, account.name])).toEqual([
      [ACCOUNT_0, "Account 1"],
      [ACCOUNT_1, "savings"],
    ]);
  });

  it("imports a bare private key, and the record stores nothing secret in clear", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: PASSWORD, source: { type: "privateKey", privateKey: KEY_0 } });
    const [record] = [...store.records.values()];
    expect(record).toMatchObject({ version: 1, address: ACCOUNT_0, source: "privateKey" });
    expect(record?.kdf).toMatchObject({ name: "pbkdf2-sha256", iterations: 600_000 });
    const text = JSON.stringify(record);
    expect(text).not.toContain(KEY_0.slice(2));
    expect(text).not.toContain(PASSWORD);
  });

  it("imports npm start's demo keystore (scrypt, ethers' format) with the keystore's own password", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true, mode: 0o700 });
    const { accounts } = await prepareDemoWallet(home, ["alice"], 1);
    const json = await readFile(join(keystoreDir(home), `${accounts.alice}.json`), "utf8");
    const store = createMemoryVaultStore();
    const added = await addAccount(store, {
      password: PASSWORD,
      name: "alice",
      source: { type: "keystore", json, password: DEMO_PASSWORD },
    });
    expect(added).toEqual({ address: ACCOUNT_1, name: "alice", source: "privateKey", path: undefined });
    expect(
      await codeOf(addAccount(store, { password: PASSWORD, source: { type: "keystore", json, password: "nope" } })),
    ).toBe("WRONG_PASSWORD");
  });

  it("keeps one password and one salt per vault: a second account under another password is refused", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: PASSWORD, source: { type: "privateKey", privateKey: KEY_0 } });
    const other = { type: "mnemonic", mnemonic: TEST_MNEMONIC, index: 1 } as const;
    expect(await codeOf(addAccount(store, { password: "another", source: other }))).toBe("WRONG_PASSWORD");
    await addAccount(store, { password: PASSWORD, source: other });
    const salts = new Set([...store.records.values()].map((record) => record.kdf.salt));
    expect(salts.size).toBe(1);
    const session = await unlockVault(store, { password: PASSWORD, idleMs: null });
    expect(session.accounts.map((account) => account.address)).toEqual([ACCOUNT_0, ACCOUNT_1]);
  });

  it("refuses an account already in the vault, an empty password, a private key from a phrase-less 'derive'", async () => {
    const store = createMemoryVaultStore();
    const key = { type: "privateKey", privateKey: KEY_0 } as const;
    expect(await codeOf(addAccount(store, { password: "", source: key }))).toBe("EMPTY_PASSWORD");
    await addAccount(store, { password: PASSWORD, source: key });
    expect(
      await codeOf(addAccount(store, { password: PASSWORD, source: { type: "mnemonic", mnemonic: TEST_MNEMONIC } })),
    ).toBe("VAULT_ACCOUNT_EXISTS");
    expect(await codeOf(addAccount(store, { password: PASSWORD, source: { type: "derive", from: ACCOUNT_0 } }))).toBe(
      "NO_MNEMONIC",
    );
    expect(await codeOf(addAccount(store, { password: PASSWORD, source: { type: "derive", from: ACCOUNT_1 } }))).toBe(
      "VAULT_ACCOUNT_NOT_FOUND",
    );
    expect(store.records.size).toBe(1);
  });

  it("writes scrypt records when asked (N = 2^17, r = 8, p = 1) and they unlock", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: PASSWORD, kdf: "scrypt", source: { type: "privateKey", privateKey: KEY_0 } });
    expect([...store.records.values()][0]?.kdf).toMatchObject({ name: "scrypt", N: 2 ** 17, r: 8, p: 1 });
    const session = await unlockVault(store, { password: PASSWORD, idleMs: null });
    expect(session.accounts[0]?.address).toBe(ACCOUNT_0);
  });
});
