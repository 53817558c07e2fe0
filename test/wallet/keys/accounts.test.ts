import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NoMnemonicError } from "../../../wallet/errors.ts";
import { addDerivedAccount } from "../../../wallet/keys/addDerivedAccount.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { importPrivateKey } from "../../../wallet/keys/importPrivateKey.ts";
import { listAccounts } from "../../../wallet/keys/listAccounts.ts";
import { unlockAccount } from "../../../wallet/keys/unlockAccount.ts";
import { writeKeystore } from "../../../wallet/keys/writeKeystore.ts";
import { ACCOUNT_0, ACCOUNT_1, TEST_MNEMONIC } from "../../kit/accounts.ts";
import { FAST_SCRYPT_N } from "../../kit/constants.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const password = "correct horse battery staple";
const ACCOUNT_2 = deriveAccount({ mnemonic: TEST_MNEMONIC, index: 2 }).address;
const ACCOUNT_5 = deriveAccount({ mnemonic: TEST_MNEMONIC, index: 5 }).address;
const IMPORTED = importPrivateKey({ privateKey: `0x${"11".repeat(32)}` });

async function homeWithAccount0() {
  const home = await tempHome();
  const account = deriveAccount({ mnemonic: TEST_MNEMONIC, index: 0 });
  await writeKeystore({ home, account, password, scryptN: FAST_SCRYPT_N });
  return home;
}

describe("addDerivedAccount", () => {
  it("derives the next unused index from the stored mnemonic, under the same password", async () => {
    const home = await homeWithAccount0();
    const first = await addDerivedAccount({ home, from: ACCOUNT_0, password, scryptN: FAST_SCRYPT_N });
    const second = await addDerivedAccount({ home, from: ACCOUNT_0, password, scryptN: FAST_SCRYPT_N });
    expect([first.address, first.index, second.address, second.index]).toEqual([ACCOUNT_1, 1, ACCOUNT_2, 2]);
    const unlocked = await unlockAccount({ home, address: ACCOUNT_2, password });
    expect(unlocked.mnemonic).toEqual({ phrase: TEST_MNEMONIC, path: "m/44'/60'/0'/0/2", index: 2 });
  });

  it("derives a chosen index, and then fills the gap below it", async () => {
    const home = await homeWithAccount0();
    expect(
      (await addDerivedAccount({ home, from: ACCOUNT_0, password, index: 5, scryptN: FAST_SCRYPT_N })).address,
    ).toBe(ACCOUNT_5);
    expect((await addDerivedAccount({ home, from: ACCOUNT_0, password, scryptN: FAST_SCRYPT_N })).index).toBe(1);
  });

  it("refuses an account imported from a private key", async () => {
    const home = await tempHome();
    await writeKeystore({ home, account: IMPORTED, password, scryptN: FAST_SCRYPT_N });
    const error = await failure(NoMnemonicError, addDerivedAccount({ home, from: IMPORTED.address, password }));
    expect(error.message).toMatchInlineSnapshot(`
      "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A was imported from a private key; it has no mnemonic to derive from
      Hint: create accounts with \`gram init\`, or import a mnemonic with \`gram import\`"
    `);
  });
});

describe("listAccounts", () => {
  it("lists derived accounts by index, then imported ones, and reports unreadable files apart", async () => {
    const home = await homeWithAccount0();
    await addDerivedAccount({ home, from: ACCOUNT_0, password, index: 5, scryptN: FAST_SCRYPT_N });
    await writeKeystore({ home, account: IMPORTED, password, scryptN: FAST_SCRYPT_N });
    await writeFile(join(home, "keystore", "broken.json"), "{");
    await writeFile(join(home, "keystore", "notes.txt"), "not a keystore, not listed");
    const { accounts, unreadable } = await listAccounts({ home });
    expect(accounts.map(({ address, index, hasMnemonic }) => ({ address, index, hasMnemonic }))).toEqual([
      { address: ACCOUNT_0, index: 0, hasMnemonic: true },
      { address: ACCOUNT_5, index: 5, hasMnemonic: true },
      { address: IMPORTED.address, index: undefined, hasMnemonic: false },
    ]);
    expect(unreadable.map(({ file, error }) => [file.replace(home, "$GRAM_HOME"), error.code])).toEqual([
      ["$GRAM_HOME/keystore/broken.json", "KEYSTORE_CORRUPT"],
    ]);
  });

  it("is empty for a home that does not exist yet", async () => {
    expect(await listAccounts({ home: await tempHome() })).toEqual({ accounts: [], unreadable: [] });
  });
});
