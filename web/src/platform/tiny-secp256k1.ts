// The browser's stand-in for `tiny-secp256k1` (web/vite.config.ts aliases the package here): the same
// `recover` over noble's JavaScript secp256k1 (the curve library viem signs with), so that the page does
// not download libsecp256k1's 1.2 MB WebAssembly build to check the few signatures of one inbox. Node (the
// hub, the CLI) keeps the WebAssembly, four times faster; test/web/platform/tiny-secp256k1.test.ts checks
// that both recover the same key from the same signatures, and refuse the same malformed ones.
import { secp256k1 } from "@noble/curves/secp256k1";

/**
 * The public key that made `signature` (64 bytes r ‖ s) with `recoveryId` over the 32-byte `hash`, or null
 * when none does or the signature is out of range (tiny-secp256k1 throws for some of these; every caller
 * in this repository treats a throw and null alike).
 */
export function recover(
  hash: Uint8Array,
  signature: Uint8Array,
  recoveryId: 0 | 1 | 2 | 3,
  compressed = false,
): Uint8Array | null {
  try {
    const point = secp256k1.Signature.fromCompact(signature).addRecoveryBit(recoveryId).recoverPublicKey(hash);
    return point.toRawBytes(compressed);
  } catch {
    return null;
  }
}
