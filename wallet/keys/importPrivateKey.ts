import type { Address, Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { InvalidPrivateKeyError } from "../errors.ts";

/** Order of secp256k1's group: a private key is an integer 1..n-1. */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface ImportPrivateKeyParameters {
  /** 64 hex characters, with or without 0x; surrounding whitespace (a trailing newline) is ignored. */
  privateKey: string;
}

export interface ImportPrivateKeyReturnType {
  address: Address;
  privateKey: Hex;
}

/**
 * Checks a raw private key and returns it with its address. Errors say what is wrong with the shape of the
 * key (its length, where a non-hex character is), never any of its characters.
 *
 * @example
 * const { address } = importPrivateKey({ privateKey: "0xac09…ff80" });
 */
export function importPrivateKey({ privateKey }: ImportPrivateKeyParameters): ImportPrivateKeyReturnType {
  const text = privateKey.trim();
  const hex = /^0x/i.test(text) ? text.slice(2) : text;
  if (hex.length !== 64) {
    throw new InvalidPrivateKeyError(
      `private key has ${hex.length} hex characters; expected 64 (32 bytes), with or without 0x`,
    );
  }
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad !== -1) {
    throw new InvalidPrivateKeyError(
      `private key has a non-hex character at digit ${bad + 1} of 64; expected 0-9 and a-f`,
    );
  }
  const value = BigInt(`0x${hex}`);
  if (value === 0n || value >= CURVE_ORDER) {
    throw new InvalidPrivateKeyError("private key is outside the secp256k1 range; expected 1..n-1");
  }
  const key = `0x${hex.toLowerCase()}` as Hex;
  return { address: privateKeyToAddress(key), privateKey: key };
}
