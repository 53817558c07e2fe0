import fc from "fast-check";
import { bytesToHex, concat, type Hex, keccak256, numberToHex, recoverAddress, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { recoverDigestSigner } from "../../protocol/recover.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const word = (n: bigint) => numberToHex(n, { size: 32 });

const key = fc.bigInt({ min: 1n, max: N - 1n }).map((n) => word(n));
const digest = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => bytesToHex(bytes));

describe("recoverDigestSigner", () => {
  it("recovers the signer viem recovers, for random keys and digests", async () => {
    await fc.assert(
      fc.asyncProperty(key, digest, async (privateKey, hash) => {
        const account = privateKeyToAccount(privateKey);
        const signature = await account.sign({ hash });
        expect(recoverDigestSigner(hash, signature)).toBe(account.address);
        expect(recoverDigestSigner(hash, signature)).toBe(await recoverAddress({ hash, signature }));
      }),
      { numRuns: 200 },
    );
  });

  it("recovers someone else (never the signer) from another digest", async () => {
    const account = privateKeyToAccount(word(7n));
    const hash = keccak256(toHex("a message"));
    const signature = await account.sign({ hash });
    const other = recoverDigestSigner(keccak256(toHex("another message")), signature);
    expect(other).not.toBeNull();
    expect(other).not.toBe(account.address);
  });

  it("refuses what is no valid low-s signature: null, never a throw", async () => {
    const account = privateKeyToAccount(word(7n));
    const hash = keccak256(toHex("a message"));
    const signature = await account.sign({ hash });
    const r = signature.slice(0, 66) as Hex;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = signature.slice(130);
    const refused: [string, Hex][] = [
      ["64 bytes (EIP-2098 compact)", signature.slice(0, 130) as Hex],
      ["66 bytes", `${signature}00`],
      ["v = 0", `${signature.slice(0, 130)}00` as Hex],
      ["v = 29", `${signature.slice(0, 130)}1d` as Hex],
      ["the high-s twin", concat([r, word(N - s), `0x${v === "1b" ? "1c" : "1b"}`])],
      ["r = 0", concat([word(0n), word(s), `0x${v}`])],
      ["s = 0", concat([r, word(0n), `0x${v}`])],
      ["r = n", concat([word(N), word(s), `0x${v}`])],
      // 5 is no point's x on secp256k1 (5³ + 7 = 132 is not a square mod p).
      ["r not on the curve", concat([word(5n), word(s), `0x${v}`])],
    ];
    for (const [what, bad] of refused) expect(recoverDigestSigner(hash, bad), what).toBeNull();
  });
});
