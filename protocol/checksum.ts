// EIP-55 checksummed addresses without loading viem. viem's main entry takes ~330 ms to import on
// this project's machines, more than a whole `gram balance --node`; the modules a fast command touches
// (keystore listing, deployment records, address parsing) checksum through this instead. It is the
// same algorithm as viem's `checksumAddress`, checked against it for random addresses in the tests.
import { keccak_256 } from "@noble/hashes/sha3";
import type { Address } from "viem";
import { z } from "zod";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * True for `0x` and 40 hex digits that are all lower case or EIP-55, as viem's `isAddress`: any other
 * case means a mistyped character.
 */
export function isAddress(text: string): boolean {
  return ADDRESS.test(text) && (text === text.toLowerCase() || checksumAddress(text) === text);
}

/**
 * The EIP-55 spelling of `address` (0x and 40 hex digits, any case): a hex letter is upper case where
 * the matching nibble of keccak256(lower-case hex digits) is 8 or more.
 *
 * @example
 * checksumAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"); // "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
 */
export function checksumAddress(address: string): Address {
  if (!ADDRESS.test(address)) throw new TypeError(`expected 0x and 40 hex digits, got '${address.slice(0, 60)}'`);
  const hex = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? (hex[i] as string).toUpperCase() : hex[i];
  }
  return out as Address;
}

/** A JSON field holding an address (lower case or EIP-55), parsed to its EIP-55 spelling. */
export const addressSchema = z
  .string()
  .refine(isAddress, { message: "expected a 0x-prefixed 20-byte address (EIP-55 if mixed-case)" })
  .transform((value) => checksumAddress(value));
