import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmptyPasswordError, InvalidPrivateKeyError, KeystoreExistsError } from "../../../wallet/errors.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { importPrivateKey } from "../../../wallet/keys/importPrivateKey.ts";
import { unlockAccount } from "../../../wallet/keys/unlockAccount.ts";
import { DEFAULT_SCRYPT_N, writeKeystore } from "../../../wallet/keys/writeKeystore.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { FAST_SCRYPT_N } from "../../kit/constants.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const password = "correct horse battery staple";

async function mode(path: string) {
  return (await stat(path)).mode & 0o777;
}

describe("writeKeystore and unlockAccount", () => {
  it("writes a v3 scrypt / aes-128-ctr keystore at ethers' standard cost by default, and unlocks it", async () => {
    const home = await tempHome();
    const { file } = await writeKeystore({ home, account: importPrivateKey({ privateKey: KEY_0 }), password });
    const json = JSON.parse(await readFile(file, "utf8"));
    expect(DEFAULT_SCRYPT_N).toBe(131_072);
    expect(json).toMatchObject({
      version: 3,
      address: ACCOUNT_0.slice(2).toLowerCase(),
      Crypto: { cipher: "aes-128-ctr", kdf: "scrypt", kdfparams: { n: 131_072, r: 8, p: 1, dklen: 32 } },
    });
    const unlocked = await unlockAccount({ home, address: ACCOUNT_0, password });
    expect(unlocked.privateKey).toBe(KEY_0);
  });

  it("writes one file per account, <address>.json, mode 0600 in a 0700 folder, whatever the umask", async () => {
    const home = await tempHome();
    const previous = process.umask(0);
    try {
      const { file, address } = await writeKeystore({
        home,
        account: deriveAccount({ mnemonic: TEST_MNEMONIC, index: 1 }),
        password,
        scryptN: FAST_SCRYPT_N,
      });
      expect(address).toBe(ACCOUNT_1);
      expect(file).toBe(join(home, "keystore", `${ACCOUNT_1}.json`));
      expect(await mode(file)).toBe(0o600);
      expect(await mode(join(home, "keystore"))).toBe(0o700);
      expect(await mode(home)).toBe(0o700);
      // The atomic write left no temporary file behind.
      expect(await readdir(join(home, "keystore"))).toEqual([`${ACCOUNT_1}.json`]);
    } finally {
      process.umask(previous);
    }
  });

  it("keeps the mnemonic, encrypted, so that the unlocked account knows its mnemonic and index", async () => {
    const home = await tempHome();
    const { file } = await writeKeystore({
      home,
      account: deriveAccount({ mnemonic: TEST_MNEMONIC, index: 1 }),
      password,
      scryptN: FAST_SCRYPT_N,
    });
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("junk");
    expect(JSON.parse(text)["x-ethers"]).toMatchObject({ version: "0.1", path: "m/44'/60'/0'/0/1" });
    const unlocked = await unlockAccount({ home, address: ACCOUNT_1, password });
    expect(unlocked.mnemonic).toEqual({ phrase: TEST_MNEMONIC, path: "m/44'/60'/0'/0/1", index: 1 });
    expect(unlocked.privateKey).toBe(deriveAccount({ mnemonic: TEST_MNEMONIC, index: 1 }).privateKey);
    expect(unlocked.warnings).toEqual([]);
  });

  it("reports progress while unlocking: from 0, never backwards, to 1", async () => {
    const home = await tempHome();
    await writeKeystore({ home, account: importPrivateKey({ privateKey: KEY_0 }), password, scryptN: 2 ** 14 });
    const progress: number[] = [];
    await unlockAccount({ home, address: ACCOUNT_0, password, onProgress: (fraction) => progress.push(fraction) });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("finds the account by any spelling of its address", async () => {
    const home = await tempHome();
    await writeKeystore({ home, account: importPrivateKey({ privateKey: KEY_0 }), password, scryptN: FAST_SCRYPT_N });
    const unlocked = await unlockAccount({ home, address: ACCOUNT_0.toLowerCase() as `0x${string}`, password });
    expect(unlocked.address).toBe(ACCOUNT_0);
  });

  it("refuses to replace an existing keystore", async () => {
    const home = await tempHome();
    const account = importPrivateKey({ privateKey: KEY_0 });
    const { file } = await writeKeystore({ home, account, password, scryptN: FAST_SCRYPT_N });
    const before = await readFile(file, "utf8");
    const error = await failure(
      KeystoreExistsError,
      writeKeystore({ home, account, password: "other", scryptN: FAST_SCRYPT_N }),
    );
    expect(error.shortMessage.replace(home, "$GRAM_HOME")).toMatchInlineSnapshot(
      `"a keystore for 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 already exists: $GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json"`,
    );
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("refuses an empty password and writes nothing", async () => {
    const home = await tempHome();
    const error = await failure(
      EmptyPasswordError,
      writeKeystore({ home, account: importPrivateKey({ privateKey: KEY_0 }), password: "" }),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "password is empty; a keystore needs a password
      Hint: pass it with --password-file or GRAM_PASSWORD when not asked interactively"
    `);
    await expect(readdir(home)).rejects.toThrow(/ENOENT/);
  });

  it("refuses a mnemonic that does not derive the given key, so that no unusable backup is stored", async () => {
    const home = await tempHome();
    const account = { ...deriveAccount({ mnemonic: TEST_MNEMONIC, index: 0 }), index: 1 };
    const error = await failure(InvalidPrivateKeyError, writeKeystore({ home, account, password }));
    expect(error.message).toMatchInlineSnapshot(`"the private key is not the one the mnemonic derives at index 1"`);
  });
});
