// The binary pieces shared by `gram:` links: a byte writer and reader for the layouts, strict base64url,
// and the 4-byte keccak checksum that makes a mangled or truncated link fail before anything is read.
import { type Address, bytesToHex, getAddress, type Hex, hexToBytes, isAddress, isHex, keccak256 } from "viem";
import { quote } from "../errors.ts";
import { LinkError } from "./errors.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const INDEX = new Map([...ALPHABET].map((char, index) => [char, index]));
const CHECKSUM_BYTES = 4;
const UINT256_MAX = 2n ** 256n - 1n;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** base64url (RFC 4648 §5) without padding. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += ALPHABET[(chunk >> (18 - 6 * j)) & 63];
  }
  return out;
}

/**
 * Decodes unpadded base64url, refusing anything but its one canonical spelling: a foreign character, an
 * impossible length or set padding bits (which would let two strings carry the same bytes) all count as
 * damage, since the checksum cannot see them.
 */
export function base64UrlDecode(text: string, what: string): Uint8Array {
  if (text.length % 4 === 1) {
    throw new LinkError("DAMAGED", `${what} is damaged: ${text.length} characters is not a possible length`, {
      hint: "The link was probably cut short; ask for it again.",
    });
  }
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < text.length; i++) {
    const value = INDEX.get(text[i] as string);
    if (value === undefined) {
      throw new LinkError(
        "DAMAGED",
        `${what} is damaged: ${quote(text[i] as string)} at position ${i} is not base64url`,
      );
    }
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new LinkError("DAMAGED", `${what} is damaged: its last character is not canonical base64url`);
  }
  return bytes;
}

/** `prefix` + base64url(payload ‖ first 4 bytes of keccak256(payload)). */
export function sealLink(prefix: string, payload: Uint8Array): string {
  const checksum = keccak256(payload, "bytes").subarray(0, CHECKSUM_BYTES);
  const sealed = new Uint8Array(payload.length + CHECKSUM_BYTES);
  sealed.set(payload);
  sealed.set(checksum, payload.length);
  return prefix + base64UrlEncode(sealed);
}

/** The payload of a sealed link, once its prefix, encoding and checksum hold. */
export function unsealLink(link: string, prefix: string, what: string): Uint8Array {
  const text = link.trim();
  if (!text.startsWith(prefix)) {
    throw new LinkError("INVALID_PREFIX", `not ${article(what)} ${what}: expected "${prefix}…", got ${quote(text)}`);
  }
  const sealed = base64UrlDecode(text.slice(prefix.length), what);
  if (sealed.length <= CHECKSUM_BYTES) {
    throw new LinkError("DAMAGED", `${what} is damaged: only ${sealed.length} bytes`, {
      hint: "The link was probably cut short; ask for it again.",
    });
  }
  const payload = sealed.subarray(0, sealed.length - CHECKSUM_BYTES);
  const expected = keccak256(payload, "bytes").subarray(0, CHECKSUM_BYTES);
  const actual = sealed.subarray(sealed.length - CHECKSUM_BYTES);
  if (!expected.every((byte, i) => byte === actual[i])) {
    throw new LinkError("DAMAGED", `${what} is damaged: checksum mismatch`, {
      hint: "A character was changed or the link was cut short; ask for it again.",
    });
  }
  return payload;
}

function article(word: string) {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** Appends the fields of a layout; values are checked against their widths, never truncated. */
export class ByteWriter {
  #bytes: number[] = [];

  byte(value: number): this {
    this.#bytes.push(value);
    return this;
  }

  raw(bytes: Uint8Array): this {
    for (const byte of bytes) this.#bytes.push(byte);
    return this;
  }

  /** A fixed-width big-endian unsigned integer. */
  uint(value: bigint | number, width: number, field: string): this {
    const big = BigInt(value);
    if (big < 0n || big >= 1n << BigInt(8 * width)) {
      throw new LinkError("MALFORMED", `${field}: ${big} does not fit in ${8 * width} bits`);
    }
    for (let i = width - 1; i >= 0; i--) this.#bytes.push(Number((big >> BigInt(8 * i)) & 0xffn));
    return this;
  }

  /** A uint256 as a length byte (0–32) and that many big-endian bytes, with no leading zero byte. */
  varUint(value: bigint | number, field: string): this {
    const big = BigInt(value);
    if (big < 0n || big > UINT256_MAX) throw new LinkError("MALFORMED", `${field}: ${big} is not a uint256`);
    const hex = big === 0n ? "" : big.toString(16);
    const length = Math.ceil(hex.length / 2);
    this.#bytes.push(length);
    return this.raw(hexToBytes(`0x${hex.padStart(length * 2, "0")}`));
  }

  /** An unsigned LEB128 length: one byte below 128. */
  leb128(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.#bytes.push(rest);
    return this;
  }

  address(value: Address, field: string): this {
    if (!isAddress(value, { strict: false })) throw new LinkError("INVALID_ADDRESS", `${field}: not an address`);
    return this.raw(hexToBytes(value));
  }

  bytes32(value: Hex, field: string): this {
    if (!isHex(value, { strict: true }) || value.length !== 66) {
      throw new LinkError("MALFORMED", `${field}: expected 32 bytes of hex`);
    }
    return this.raw(hexToBytes(value));
  }

  /** UTF-8 with a LEB128 byte length. */
  string(value: string): this {
    const bytes = utf8.encode(value);
    return this.leb128(bytes.length).raw(bytes);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Reads a layout back, refusing non-canonical encodings so that each value has exactly one spelling. */
export class ByteReader {
  readonly #data: Uint8Array;
  readonly #what: string;
  #offset = 0;

  constructor(data: Uint8Array, what: string) {
    this.#data = data;
    this.#what = what;
  }

  fail(message: string): never {
    throw new LinkError("MALFORMED", `${this.#what} is malformed: ${message}`);
  }

  take(length: number, field: string): Uint8Array {
    if (this.#offset + length > this.#data.length) this.fail(`it ends inside ${field}`);
    const out = this.#data.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  byte(field: string): number {
    return this.take(1, field)[0] as number;
  }

  uint(width: number, field: string): bigint {
    const bytes = this.take(width, field);
    return bytes.length === 0 ? 0n : BigInt(bytesToHex(bytes));
  }

  varUint(field: string, maxBytes = 32): bigint {
    const length = this.byte(field);
    if (length > maxBytes) this.fail(`${field} is ${length} bytes long, at most ${maxBytes} allowed`);
    const bytes = this.take(length, field);
    if (bytes[0] === 0) this.fail(`${field} has a leading zero byte`);
    return length === 0 ? 0n : BigInt(bytesToHex(bytes));
  }

  leb128(field: string): number {
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = this.byte(field);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && shift > 0) this.fail(`${field} has a non-minimal length`);
        return value;
      }
    }
    return this.fail(`${field} has an oversized length`);
  }

  address(field: string): Address {
    return getAddress(bytesToHex(this.take(20, field)));
  }

  bytes32(field: string): Hex {
    return bytesToHex(this.take(32, field));
  }

  string(field: string, maxBytes: number): string {
    const length = this.leb128(field);
    if (length > maxBytes) this.fail(`${field} is ${length} bytes long, at most ${maxBytes} allowed`);
    try {
      return strictUtf8.decode(this.take(length, field));
    } catch (cause) {
      if (cause instanceof LinkError) throw cause;
      return this.fail(`${field} is not valid UTF-8`);
    }
  }

  end(): void {
    const left = this.#data.length - this.#offset;
    if (left !== 0) this.fail(`${left} unexpected bytes after the last field`);
  }
}

const KINDS: Record<number, string> = { 105: "an invoice link", 114: "a request link" };

/** Reads the kind and version bytes every `gram:` payload starts with. */
export function readHeader(data: ByteReader, kind: number, version: number, what: string) {
  const actualKind = data.byte("kind");
  if (actualKind !== kind) {
    const known = KINDS[actualKind];
    throw new LinkError(
      "UNSUPPORTED_VERSION",
      known === undefined
        ? `${what}: unknown kind byte 0x${actualKind.toString(16).padStart(2, "0")}`
        : `${what}: the payload is ${known}, not ${article(what)} ${what}`,
    );
  }
  const actualVersion = data.byte("version");
  if (actualVersion !== version) {
    throw new LinkError(
      "UNSUPPORTED_VERSION",
      `${what}: layout version ${actualVersion} is not supported (this wallet reads version ${version})`,
      { hint: "The link may come from a newer wallet; update Gram." },
    );
  }
}
