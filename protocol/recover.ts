// Who signed a 32-byte digest. The hub checks every message it is sent and every client checks every
// message it receives, so this is the chat's hottest path: libsecp256k1 (Bitcoin Core's library, built to
// WebAssembly by tiny-secp256k1) recovers a key in about a quarter of the time of noble's JavaScript,
// which viem uses. The result is the same: test/protocol/recover.test.ts checks it against viem.
import { recover } from "tiny-secp256k1";
import { type Address, bytesToHex, type Hex, hexToBytes } from "viem";
import { publicKeyToAddress } from "viem/accounts";

// secp256k1 n / 2: a larger s is the malleable twin of a valid signature; only one spelling is accepted.
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * The address whose key made `signature` (65 bytes: r ‖ s ‖ v, v 27 or 28, s in the lower half) over
 * `digest`, or null when the signature is malformed, malleable, out of range or recovers no key.
 *
 * @example
 * const signer = recoverDigestSigner(hashTypedData(typedData), signature);
 * if (signer === null || !isAddressEqual(signer, claimed)) refuse();
 */
export function recoverDigestSigner(digest: Hex, signature: Hex): Address | null {
  const bytes = hexToBytes(signature);
  if (bytes.length !== 65) return null;
  const v = bytes[64];
  if ((v !== 27 && v !== 28) || BigInt(bytesToHex(bytes.subarray(32, 64))) > HALF_N) return null;
  let key: Uint8Array | null;
  try {
    // Throws on an r or s of zero or not below n; null when r is no point's x.
    key = recover(hexToBytes(digest), bytes.subarray(0, 64), v === 27 ? 0 : 1, false);
  } catch {
    return null;
  }
  return key === null ? null : publicKeyToAddress(bytesToHex(key));
}
