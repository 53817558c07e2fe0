import { describe, expect, it } from "vitest";
import { InvalidPrivateKeyError } from "../../../wallet/errors.ts";
import { importPrivateKey } from "../../../wallet/keys/importPrivateKey.ts";
import { ACCOUNT_0, KEY_0 } from "../../kit/accounts.ts";
import { failure } from "../../kit/wallet-helpers.ts";

describe("importPrivateKey", () => {
  it.each([
    ["with 0x", KEY_0],
    ["without 0x", KEY_0.slice(2)],
    ["upper case, with a trailing newline", `${KEY_0.toUpperCase().replace("0X", "0x")}\n`],
  ])("imports a key %s", (_, privateKey) => {
    expect(importPrivateKey({ privateKey })).toEqual({ address: ACCOUNT_0, privateKey: KEY_0 });
  });

  it("refuses keys of the wrong shape or outside the curve's range", async () => {
    const cases = {
      short: KEY_0.slice(0, -1),
      long: `${KEY_0}0`,
      nonHex: `${KEY_0.slice(0, 10)}g${KEY_0.slice(11)}`,
      zero: `0x${"0".repeat(64)}`,
      order: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
      empty: "",
    };
    const messages: Record<string, string> = {};
    for (const [name, privateKey] of Object.entries(cases)) {
      messages[name] = (await failure(InvalidPrivateKeyError, () => importPrivateKey({ privateKey }))).message;
    }
    expect(messages).toMatchInlineSnapshot(`
      {
        "empty": "private key has 0 hex characters; expected 64 (32 bytes), with or without 0x",
        "long": "private key has 65 hex characters; expected 64 (32 bytes), with or without 0x",
        "nonHex": "private key has a non-hex character at digit 9 of 64; expected 0-9 and a-f",
        "order": "private key is outside the secp256k1 range; expected 1..n-1",
        "short": "private key has 63 hex characters; expected 64 (32 bytes), with or without 0x",
        "zero": "private key is outside the secp256k1 range; expected 1..n-1",
      }
    `);
  });
});
