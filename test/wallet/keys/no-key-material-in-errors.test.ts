import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { InvalidMnemonicError, InvalidPrivateKeyError, WrongPasswordError } from "../../../wallet/errors.ts";
import { decryptKeystore } from "../../../wallet/keys/decryptKeystore.ts";
import { deriveAccount } from "../../../wallet/keys/deriveAccount.ts";
import { importPrivateKey } from "../../../wallet/keys/importPrivateKey.ts";
import { unlockAccount } from "../../../wallet/keys/unlockAccount.ts";
import { writeKeystore } from "../../../wallet/keys/writeKeystore.ts";
import { FAST_SCRYPT_N } from "../../kit/constants.ts";
import { isWalletError, tempHome } from "../../kit/wallet-helpers.ts";

// BIP-39's "legal winner" vector: words that no message of the wallet would contain by chance.
const MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const WORDS = [...new Set(MNEMONIC.split(" "))];
const { privateKey: KEY, address: ADDRESS } = deriveAccount({ mnemonic: MNEMONIC });
const PASSWORD = "Tr0ub4dor&3-secret";
const TRIED_PASSWORD = "hunter2-also-secret";

/** Every way an error gets printed: message, String(), stack, inspect (with causes and own fields), JSON. */
function renderings(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 10, showHidden: true })];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    parts.push(e.message, e.stack ?? "", JSON.stringify(e));
  }
  return parts.join("\n");
}

function expectNoKeyMaterial(error: unknown) {
  expect(isWalletError(error)).toBe(true);
  const text = renderings(error);
  const hex = KEY.slice(2);
  for (const secret of [hex, hex.toUpperCase(), hex.slice(0, 16), hex.slice(-16), PASSWORD, TRIED_PASSWORD, MNEMONIC]) {
    expect(text).not.toContain(secret);
  }
  for (const word of WORDS) expect(text).not.toMatch(new RegExp(`\\b${word}\\b`, "i"));
}

async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("no key material in errors", () => {
  it("the check itself catches a key, a password or a mnemonic word in a cause", () => {
    const leaks = [
      new InvalidPrivateKeyError("bad key", { cause: new Error(`value=${KEY}`) }),
      new WrongPasswordError(`wrong password '${TRIED_PASSWORD}'`),
      new InvalidMnemonicError("bad word", { details: "'sausage' is not in the list" }),
    ];
    for (const error of leaks) expect(() => expectNoKeyMaterial(error)).toThrow();
  });

  it("malformed private keys: a digit short, a digit too many, a digit not hex", async () => {
    const hex = KEY.slice(2);
    for (const privateKey of [hex.slice(1), `${KEY}a`, `${KEY.slice(0, 20)}z${KEY.slice(21)}`]) {
      expectNoKeyMaterial(await thrown(() => importPrivateKey({ privateKey })));
    }
  });

  it("mnemonics with a misspelt word, a word missing, two words swapped", async () => {
    const words = MNEMONIC.split(" ");
    const variants = [
      [...words.slice(0, 3), "yeer", ...words.slice(4)],
      words.slice(1),
      [words[1], words[0], ...words.slice(2)],
    ].map((list) => list.join(" "));
    for (const mnemonic of variants) expectNoKeyMaterial(await thrown(() => deriveAccount({ mnemonic })));
  });

  it("a wrong password, a tampered keystore, a mismatched mnemonic and key", async () => {
    const home = await tempHome();
    const { file } = await writeKeystore({
      home,
      account: deriveAccount({ mnemonic: MNEMONIC }),
      password: PASSWORD,
      scryptN: FAST_SCRYPT_N,
    });
    expectNoKeyMaterial(await thrown(() => unlockAccount({ home, address: ADDRESS, password: TRIED_PASSWORD })));

    const json = JSON.parse(await readFile(file, "utf8"));
    json["x-ethers"].mnemonicCiphertext = `00${json["x-ethers"].mnemonicCiphertext.slice(2)}`;
    expectNoKeyMaterial(await thrown(() => decryptKeystore({ keystore: JSON.stringify(json), password: PASSWORD })));

    const truncated = (await readFile(file, "utf8")).slice(0, 200);
    expectNoKeyMaterial(await thrown(() => decryptKeystore({ keystore: truncated, password: PASSWORD })));

    const mismatched = { ...deriveAccount({ mnemonic: MNEMONIC }), index: 3 };
    const otherHome = await tempHome();
    expectNoKeyMaterial(
      await thrown(() => writeKeystore({ home: otherHome, account: mismatched, password: PASSWORD })),
    );
  });
});
