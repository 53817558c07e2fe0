import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  KeystoreCorruptError,
  KeystoreNotFoundError,
  KeystoreUnsupportedError,
  type WalletError,
  WrongPasswordError,
} from "../../../wallet/errors.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { importPrivateKey } from "../../../wallet/keys/importPrivateKey.ts";
import { unlockAccount } from "../../../wallet/keys/unlockAccount.ts";
import { writeKeystore } from "../../../wallet/keys/writeKeystore.ts";
import { ACCOUNT_0, ACCOUNT_1, KEY_0, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { FAST_SCRYPT_N } from "../../kit/constants.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const password = "correct horse battery staple";

/** A good keystore of ACCOUNT_0 (with its mnemonic), as text and parsed, to damage in each test. */
let good: string;
beforeAll(async () => {
  const home = await tempHome();
  const { file } = await writeKeystore({
    home,
    account: deriveAccount({ mnemonic: TEST_MNEMONIC, index: 0 }),
    password,
    scryptN: FAST_SCRYPT_N,
  });
  good = await readFile(file, "utf8");
});

/** A home whose keystore for ACCOUNT_0 holds `text`. */
async function homeWith(text: string) {
  const home = await tempHome();
  await mkdir(join(home, "keystore"), { recursive: true, mode: 0o700 });
  await writeFile(join(home, "keystore", `${ACCOUNT_0}.json`), text, { mode: 0o600 });
  return home;
}

// biome-ignore lint/suspicious/noExplicitAny: the tests reach into the keystore's JSON to damage it.
function edit(change: (json: Record<string, any>) => void) {
  const json = JSON.parse(good);
  change(json);
  return JSON.stringify(json);
}

/** Unlocks ACCOUNT_0 from `text` and returns the error's message, with the temp folder named $GRAM_HOME. */
async function unlockFailure(type: abstract new (...args: never[]) => WalletError, text: string) {
  const home = await homeWith(text);
  const error = await failure(type, unlockAccount({ home, address: ACCOUNT_0, password }));
  return error.message.replaceAll(home, "$GRAM_HOME");
}

const flipHex = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

describe("unlockAccount refuses a damaged or foreign keystore with a clear error", () => {
  it("wrong password", async () => {
    const home = await homeWith(good);
    const error = await failure(WrongPasswordError, unlockAccount({ home, address: ACCOUNT_0, password: "nope" }));
    expect(error.code).toBe("WRONG_PASSWORD");
    expect(error.message.replaceAll(home, "$GRAM_HOME")).toMatchInlineSnapshot(`
      "wrong password for $GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json
      Details: the keystore's MAC does not match: the password is wrong, or the file's ciphertext was changed
      Hint: check the password (and the --password-file or GRAM_PASSWORD it came from)"
    `);
  });

  it("truncated, empty, not JSON, not an object", async () => {
    const messages = [
      await unlockFailure(KeystoreCorruptError, good.slice(0, good.length / 2)),
      await unlockFailure(KeystoreCorruptError, ""),
      await unlockFailure(KeystoreCorruptError, "PK\u0003\u0004 this is a zip file"),
      await unlockFailure(KeystoreCorruptError, "[1, 2, 3]"),
    ];
    expect(messages).toMatchInlineSnapshot(`
      [
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json is truncated or damaged: its JSON is incomplete
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json is empty
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json is not a JSON keystore
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json is not a keystore: expected a JSON object
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
      ]
    `);
  });

  it("a field missing or malformed", async () => {
    const messages = [
      await unlockFailure(
        KeystoreCorruptError,
        edit((json) => delete json.Crypto.mac),
      ),
      await unlockFailure(
        KeystoreCorruptError,
        edit((json) => (json.Crypto.ciphertext = "zz")),
      ),
      await unlockFailure(
        KeystoreCorruptError,
        edit((json) => (json.Crypto.cipherparams.iv = "00")),
      ),
      await unlockFailure(
        KeystoreCorruptError,
        edit((json) => delete json.version),
      ),
      await unlockFailure(
        KeystoreCorruptError,
        edit((json) => (json.Crypto.kdfparams.n = 1000)),
      ),
    ];
    expect(messages).toMatchInlineSnapshot(`
      [
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: Crypto.mac: missing
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: Crypto.ciphertext: expected 1 to 32 bytes as hex
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: Crypto.cipherparams.iv: expected 16 bytes as hex
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: version: missing; expected 3
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: Crypto.kdfparams.n: got 1000, expected a power of 2
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key",
      ]
    `);
  });

  it("tampered ciphertext or mac: the MAC check fails, which reads as a wrong password", async () => {
    const messages = [
      await unlockFailure(
        WrongPasswordError,
        edit((json) => (json.Crypto.ciphertext = flipHex(json.Crypto.ciphertext))),
      ),
      await unlockFailure(
        WrongPasswordError,
        edit((json) => (json.Crypto.mac = flipHex(json.Crypto.mac))),
      ),
    ];
    expect(new Set(messages).size).toBe(1);
  });

  it("tampered address field: the file names another account", async () => {
    const message = await unlockFailure(
      KeystoreCorruptError,
      edit((json) => (json.address = ACCOUNT_1.slice(2).toLowerCase())),
    );
    expect(message).toMatchInlineSnapshot(`
      "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json holds the key of 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, not of 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
      Hint: rename the file after the address inside it, or restore it from a backup"
    `);
  });

  it("tampered mnemonic: it no longer derives the key", async () => {
    const message = await unlockFailure(
      KeystoreCorruptError,
      edit((json) => (json["x-ethers"].mnemonicCiphertext = flipHex(json["x-ethers"].mnemonicCiphertext))),
    );
    expect(message).toMatchInlineSnapshot(`
      "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json: the stored mnemonic does not derive this account's key
      Details: the x-ethers section was changed or copied from another keystore
      Hint: restore this file from a backup, or import the account again from its mnemonic or private key"
    `);
  });

  it("unsupported version, kdf, cipher or cost", async () => {
    const messages = [
      await unlockFailure(
        KeystoreUnsupportedError,
        edit((json) => (json.version = 1)),
      ),
      await unlockFailure(
        KeystoreUnsupportedError,
        edit((json) => (json.Crypto.kdf = "argon2id")),
      ),
      await unlockFailure(
        KeystoreUnsupportedError,
        edit((json) => (json.Crypto.cipher = "aes-128-cbc")),
      ),
      await unlockFailure(
        KeystoreUnsupportedError,
        edit((json) => (json.Crypto.kdfparams.n = 2 ** 30)),
      ),
    ];
    expect(messages).toMatchInlineSnapshot(`
      [
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json is keystore version 1; Gram reads version 3 (Web3 Secret Storage)",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json uses kdf 'argon2id'; Gram reads scrypt and pbkdf2",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json uses cipher 'aes-128-cbc'; Gram reads aes-128-ctr",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json asks for scrypt n=1073741824 r=8 p=1; Gram allows at most 256 MiB (128·n·r) and n·r·p ≤ 2^22",
      ]
    `);
  });

  it("no keystore for the address", async () => {
    const home = await homeWith(good);
    const error = await failure(KeystoreNotFoundError, unlockAccount({ home, address: ACCOUNT_1, password }));
    expect(error.message.replaceAll(home, "$GRAM_HOME")).toMatchInlineSnapshot(`
      "no keystore for 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 in $GRAM_HOME/keystore
      Hint: \`gram accounts\` lists the accounts this wallet holds"
    `);
  });
});

describe("file modes", () => {
  it("warns, without refusing, when others may read the keystore or list its folder", async () => {
    if (process.platform === "win32") return;
    const home = await homeWith(good);
    await chmod(join(home, "keystore", `${ACCOUNT_0}.json`), 0o644);
    await chmod(join(home, "keystore"), 0o755);
    const { address, warnings } = await unlockAccount({ home, address: ACCOUNT_0, password });
    expect(address).toBe(ACCOUNT_0);
    expect(warnings.map((warning) => warning.replaceAll(home, "$GRAM_HOME"))).toMatchInlineSnapshot(`
      [
        "$GRAM_HOME/keystore has mode 0755; expected 0700, so that only you can read it (chmod 0700 '$GRAM_HOME/keystore')",
        "$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json has mode 0644; expected 0600, so that only you can read it (chmod 0600 '$GRAM_HOME/keystore/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.json')",
      ]
    `);
  });
});

describe("keystores from other tools", () => {
  it("finds a keystore by its address field whatever the file is called (geth's UTC--… names)", async () => {
    const home = await tempHome();
    const { file } = await writeKeystore({
      home,
      account: importPrivateKey({ privateKey: KEY_0 }),
      password,
      scryptN: FAST_SCRYPT_N,
    });
    await rename(file, join(home, "keystore", `UTC--2024-01-01T00-00-00.0Z--${ACCOUNT_0.slice(2).toLowerCase()}.json`));
    expect((await unlockAccount({ home, address: ACCOUNT_0, password })).privateKey).toBe(KEY_0);
  });
});
