import type { Address } from "viem";
import { checksumAddress } from "../protocol/checksum.ts";
import { AddressChecksumError, InvalidAddressError } from "./errors.ts";

/**
 * Parses an address typed or pasted by a user: `0x` and 40 hex digits, exactly. All lower or all upper
 * case carries no checksum and is accepted; mixed case must be EIP-55, since a mixed-case address that is
 * not has almost surely a mistyped character.
 *
 * @example
 * parseAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"); // "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
 */
export function parseAddress(text: string, what = "address"): Address {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new InvalidAddressError(`${what} '${clip(text)}' is not an address; expected 0x and 40 hex digits`, {
      ...(/^0x[0-9a-fA-F]*$/.test(text) ? { details: `it has ${text.length - 2} hex digits` } : {}),
    });
  }
  const checksummed = checksumAddress(text);
  const digits = text.slice(2);
  const mixed = digits !== digits.toLowerCase() && digits !== digits.toUpperCase();
  if (mixed && text !== checksummed) {
    throw new AddressChecksumError(`${what} '${text}' has a wrong checksum (mixed case that is not EIP-55)`, {
      details:
        "a mixed-case address encodes a checksum in its letters; this one does not match, so a character is wrong",
      hint: "copy the address again from its source instead of fixing the letters' case",
    });
  }
  return checksummed;
}

function clip(text: string) {
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return short.replace(/[^\x20-\x7e]/g, "?");
}
