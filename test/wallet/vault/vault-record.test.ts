// Tampering with a stored record: each change below is refused and nothing is decrypted.
import { describe, expect, it } from "vitest";
import { addAccount } from "../../../wallet/vault/addAccount.ts";
import { createMemoryVaultStore } from "../../../wallet/vault/createMemoryVaultStore.ts";
import { unlockVault } from "../../../wallet/vault/unlockVault.ts";
import { parseVaultRecord, type VaultRecord } from "../../../wallet/vault/vault-record.ts";
import { ACCOUNT_0, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";

const PASSWORD = "correct horse battery staple";

async function vaultOf(...sources: Parameters<typeof addAccount>[1]["source"][]) {
  const store = createMemoryVaultStore();
  for (const source of sources) await addAccount(store, { password: PASSWORD, source });
  return store;
}

const flipByte = (hex: string, at: number) =>
  `${hex.slice(0, at)}${((Number.parseInt(hex.slice(at, at + 2), 16) ^ 1) & 0xff).toString(16).padStart(2, "0")}${hex.slice(at + 2)}`;

async function unlockCode(store: ReturnType<typeof createMemoryVaultStore>) {
  return unlockVault(store, { password: PASSWORD, idleMs: null }).then(
    () => "unlocked",
    (error: { code?: string }) => error.code,
  );
}

describe("vault records", () => {
  const tampered: [string, (record: VaultRecord) => unknown][] = [
    ["a flipped ciphertext byte", (r) => ({ ...r, ciphertext: flipByte(r.ciphertext, 10) })],
    ["a flipped tag byte", (r) => ({ ...r, ciphertext: flipByte(r.ciphertext, r.ciphertext.length - 2) })],
    ["a flipped IV byte", (r) => ({ ...r, cipher: { ...r.cipher, iv: flipByte(r.cipher.iv, 2) } })],
    ["another salt", (r) => ({ ...r, kdf: { ...r.kdf, salt: flipByte(r.kdf.salt, 2) } })],
    ["more iterations", (r) => ({ ...r, kdf: { ...r.kdf, iterations: 600_001 } })],
    ["the source changed to a bare key", (r) => ({ ...r, source: "privateKey", path: undefined })],
    ["another path", (r) => ({ ...r, path: "m/44'/60'/0'/0/7" })],
  ];
  for (const [what, change] of tampered) {
    it(`refuses ${what} as a wrong password`, async () => {
      const store = await vaultOf({ type: "mnemonic", mnemonic: TEST_MNEMONIC });
      const record = store.records.get(ACCOUNT_0) as VaultRecord;
      store.records.set(ACCOUNT_0, change(record) as VaultRecord);
      expect(await unlockCode(store)).toBe("WRONG_PASSWORD");
    });
  }

  it("refuses a record whose ciphertext was swapped with another account's (the address is authenticated)", async () => {
    const store = await vaultOf(
      { type: "privateKey", privateKey: KEY_0 },
      { type: "mnemonic", mnemonic: TEST_MNEMONIC, index: 1 },
    );
    const [a, b] = [...store.records.values()] as [VaultRecord, VaultRecord];
    store.records.set(a.address, { ...a, cipher: b.cipher, ciphertext: b.ciphertext });
    store.records.set(b.address, { ...b, cipher: a.cipher, ciphertext: a.ciphertext });
    expect(await unlockCode(store)).toBe("WRONG_PASSWORD");
  });

  it("refuses the whole vault when one record of two was changed (VAULT_CORRUPT), unlocking nothing", async () => {
    const store = await vaultOf(
      { type: "privateKey", privateKey: KEY_0 },
      { type: "mnemonic", mnemonic: TEST_MNEMONIC, index: 1 },
    );
    const [, b] = [...store.records.values()] as [VaultRecord, VaultRecord];
    store.records.set(b.address, { ...b, ciphertext: flipByte(b.ciphertext, 4) });
    expect(await unlockCode(store)).toBe("VAULT_CORRUPT");
  });

  it("leaves the name out of the authenticated data: a renamed record still opens", async () => {
    const store = await vaultOf({ type: "privateKey", privateKey: KEY_0 });
    const record = store.records.get(ACCOUNT_0) as VaultRecord;
    store.records.set(ACCOUNT_0, { ...record, name: "renamed" });
    expect(await unlockCode(store)).toBe("unlocked");
  });

  it("parses only what this wallet writes: too few iterations, a weak scrypt, an unknown version or field", async () => {
    const store = await vaultOf({ type: "privateKey", privateKey: KEY_0 });
    const record = store.records.get(ACCOUNT_0) as VaultRecord;
    expect(parseVaultRecord(structuredClone(record))).toEqual(record);
    const bad: [unknown, string][] = [
      [{ ...record, kdf: { ...record.kdf, iterations: 100_000 } }, "vault record.kdf.iterations"],
      [{ ...record, kdf: { name: "scrypt", N: 1024, r: 8, p: 1, salt: record.kdf.salt } }, "vault record.kdf.N"],
      [{ ...record, version: 2 }, "vault record.version"],
      [{ ...record, privateKey: KEY_0 }, "vault record: Unrecognized key"],
      [{ ...record, address: record.address.toLowerCase() }, "vault record.address"],
      [{ ...record, path: "m/44'/60'/0'/0/0" }, "vault record: path"],
    ];
    for (const [value, message] of bad) {
      expect(() => parseVaultRecord(value)).toThrow(expect.objectContaining({ code: "VAULT_RECORD_INVALID" }));
      expect(() => parseVaultRecord(value)).toThrow(message);
    }
  });
});
