// No key, phrase word or password in any error the vault throws, however it is printed.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { checkPhraseConfirmation } from "../../../wallet/vault/checkPhraseConfirmation.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { exportPhrase } from "../../../wallet/vault/exportPhrase.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import type { VaultRecord } from "../../../wallet/vault/vault-record.ts";
import { isWalletError } from "../../kit/wallet-helpers.ts";

const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const WORDS = [...new Set(MNEMONIC.split(" "))];
const { privateKey: KEY, address: ADDRESS } = deriveAccount({ mnemonic: MNEMONIC });
const PASSWORD = "Tr0ub4dor&3-secret";
const TRIED = "hunter2-also-secret";

function renderings(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true })];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "", JSON.stringify(e));
  return parts.join("\n");
}

async function expectCleanError(action: () => unknown, code: string) {
  let error: unknown;
  try {
    await action();
  } catch (caught) {
    error = caught;
  }
  expect(isWalletError(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  const text = renderings(error);
  for (const secret of [KEY.slice(2), KEY.slice(2, 18), PASSWORD, TRIED, MNEMONIC]) expect(text).not.toContain(secret);
  for (const word of WORDS) expect(text).not.toMatch(new RegExp(`\\b${word}\\b`, "i"));
}

describe("no secrets in the vault's errors", () => {
  it("wrong password at unlock, export and add; a tampered record; a locked session; a bad confirmation", async () => {
    const store = createMemoryVaultStore();
    await addAccount(store, { password: PASSWORD, source: { type: "mnemonic", mnemonic: MNEMONIC } });
    await expectCleanError(() => unlockVault(store, { password: TRIED }), "WRONG_PASSWORD");
    await expectCleanError(() => exportPhrase(store, { password: TRIED, address: ADDRESS }), "WRONG_PASSWORD");
    await expectCleanError(
      () => addAccount(store, { password: TRIED, source: { type: "mnemonic", mnemonic: MNEMONIC, index: 1 } }),
      "WRONG_PASSWORD",
    );
    await expectCleanError(
      () => addAccount(store, { password: PASSWORD, source: { type: "mnemonic", mnemonic: MNEMONIC } }),
      "VAULT_ACCOUNT_EXISTS",
    );
    await expectCleanError(
      () =>
        addAccount(store, {
          password: PASSWORD,
          source: { type: "mnemonic", mnemonic: MNEMONIC.replace("yellow", "zoo") },
        }),
      "INVALID_MNEMONIC",
    );
    await expectCleanError(
      () => addAccount(store, { password: PASSWORD, source: { type: "privateKey", privateKey: `${KEY}0` } }),
      "INVALID_PRIVATE_KEY",
    );
    const session = await unlockVault(store, { password: PASSWORD, idleMs: null });
    const account = session.account(ADDRESS);
    session.lock();
    await expectCleanError(() => account.signMessage({ message: "x" }), "VAULT_LOCKED");
    await expectCleanError(
      () => checkPhraseConfirmation({ mnemonic: MNEMONIC, answers: { 1: "winner", 2: "legal" } }),
      "PHRASE_NOT_CONFIRMED",
    );
    const record = store.records.get(ADDRESS) as VaultRecord;
    store.records.set(ADDRESS, {
      ...record,
      ciphertext: `${record.ciphertext.slice(0, -2)}${record.ciphertext.endsWith("00") ? "01" : "00"}`,
    });
    await expectCleanError(() => unlockVault(store, { password: PASSWORD }), "WRONG_PASSWORD");
    await expectCleanError(
      () => addAccount(store, { password: PASSWORD, source: { type: "keystore", json: "{}", password: TRIED } }),
      "WRONG_PASSWORD",
    );
  });
});
