import { privateKeyToAddress } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { WrongPasswordError } from "../../../wallet/errors.ts";
import { decryptKeystore } from "../../../wallet/keys/decryptKeystore.ts";
import { failure } from "../../kit/wallet-helpers.ts";
import { pbkdf2Vector, scryptVector, VECTOR_PASSWORD, VECTOR_PRIVATE_KEY } from "./secret-storage-vectors.ts";

describe("Web3 Secret Storage test vectors", () => {
  it("decrypts the scrypt vector (n = 2^18, r = 1, p = 8) to the published key", async () => {
    const progress: number[] = [];
    const account = await decryptKeystore({
      keystore: JSON.stringify(scryptVector),
      password: VECTOR_PASSWORD,
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(account).toEqual({ address: privateKeyToAddress(VECTOR_PRIVATE_KEY), privateKey: VECTOR_PRIVATE_KEY });
    // scrypt reports as it goes, so an unlock can show a progress bar.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
  });

  it("decrypts the pbkdf2 vector (c = 2^18, hmac-sha256) to the published key", async () => {
    const account = await decryptKeystore({ keystore: JSON.stringify(pbkdf2Vector), password: VECTOR_PASSWORD });
    expect(account.privateKey).toBe(VECTOR_PRIVATE_KEY);
  });

  it("refuses the pbkdf2 vector with another password", async () => {
    const error = await failure(
      WrongPasswordError,
      decryptKeystore({ keystore: JSON.stringify(pbkdf2Vector), password: "testpassword2", source: "vector.json" }),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "wrong password for vector.json
      Details: the keystore's MAC does not match: the password is wrong, or the file's ciphertext was changed
      Hint: check the password (and the --password-file or GRAM_PASSWORD it came from)"
    `);
  });
});
