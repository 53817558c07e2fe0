import { type Hex, hexToBytes, keccak256 } from "viem";

/**
 * Whether a block's 2048-bit logs bloom may contain a log of `address` (the yellow paper's M3:2048:
 * three 11-bit indexes from the address's keccak). False means certainly not: the block's logs need
 * not be fetched.
 */
export function bloomMayContain(bloom: Hex, address: Hex): boolean {
  if (bloom.length !== 2 + 512) return true;
  const hash = hexToBytes(keccak256(address));
  for (let i = 0; i < 6; i += 2) {
    const bit = (((hash[i] as number) << 8) | (hash[i + 1] as number)) & 2047;
    const byte = 255 - (bit >> 3);
    const nibbles = Number.parseInt(bloom.slice(2 + byte * 2, 4 + byte * 2), 16);
    if ((nibbles & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
