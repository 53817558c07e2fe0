// The page's `recover` (noble, aliased in for tiny-secp256k1 by web/vite.config.ts) against Node's
// (libsecp256k1 in WebAssembly): the same key from the same signatures, and null where Node's refuses
// (returns null or throws), for random keys and digests and for the malformed edges.
import fc from "fast-check";
import * as wasm from "tiny-secp256k1";
import { bytesToHex, hexToBytes, numberToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { recover } from "../../../web/src/platform/tiny-secp256k1.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const word = (n: bigint) => hexToBytes(numberToHex(n, { size: 32 }));
const key = fc.bigInt({ min: 1n, max: N - 1n }).map((n) => numberToHex(n, { size: 32 }));
const digest = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Node's answer, a throw read as null (as protocol/recover.ts reads it). */
function wasmRecover(hash: Uint8Array, signature: Uint8Array, id: 0 | 1, compressed: boolean) {
  try {
    return wasm.recover(hash, signature, id, compressed);
  } catch {
    return null;
  }
}

describe("the page's recover", () => {
  it("recovers the key libsecp256k1 recovers, compressed or not, for random keys and digests", async () => {
    await fc.assert(
      fc.asyncProperty(key, digest, fc.boolean(), async (privateKey, hash, compressed) => {
        const signature = hexToBytes(await privateKeyToAccount(privateKey).sign({ hash: bytesToHex(hash) }));
        const id = (signature[64] === 27 ? 0 : 1) as 0 | 1;
        const ours = recover(hash, signature.subarray(0, 64), id, compressed);
        expect(ours).not.toBeNull();
        expect(bytesToHex(ours as Uint8Array)).toBe(
          bytesToHex(wasm.recover(hash, signature.subarray(0, 64), id, compressed) as Uint8Array),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("answers null wherever libsecp256k1 refuses: r or s zero or not below n, r no point's x", async () => {
    const hash = hexToBytes(`0x${"11".repeat(32)}`);
    const signature = hexToBytes(await privateKeyToAccount(`0x${"07".repeat(32)}`).sign({ hash: bytesToHex(hash) }));
    const [r, s] = [signature.subarray(0, 32), signature.subarray(32, 64)];
    const cases: [string, Uint8Array][] = [
      ["r = 0", new Uint8Array([...word(0n), ...s])],
      ["s = 0", new Uint8Array([...r, ...word(0n)])],
      ["r = n", new Uint8Array([...word(N), ...s])],
      ["s = n", new Uint8Array([...r, ...word(N)])],
      // x = 5 is on no point of secp256k1 (5³ + 7 = 132 is not a square mod p).
      ["r = 5", new Uint8Array([...word(5n), ...s])],
    ];
    for (const [name, bad] of cases) {
      expect(wasmRecover(hash, bad, 0, false), name).toBeNull();
      expect(recover(hash, bad, 0, false), name).toBeNull();
    }
  });
});
