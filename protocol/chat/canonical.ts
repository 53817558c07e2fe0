// The one byte string a chat body's hash is taken over. It is the JSON Canonicalization Scheme (RFC 8785)
// restricted to the values chat bodies hold, which keeps every rule of it trivial:
//
// - objects: members sorted by key, compared as UTF-16 code units (what Array.prototype.sort does);
//   no whitespace anywhere; no duplicate keys (a parsed object cannot have any);
// - strings: as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2.2 adopts exactly that), which
//   requires well-formed Unicode: a lone surrogate is refused;
// - numbers: integers only, within ±(2^53 − 1), written as plain decimal digits. Floats, NaN and the
//   infinities are refused rather than given an ES number serialization: amounts travel as decimal strings;
// - arrays keep their order; booleans are written `true`/`false`; `null` is refused (a field is absent
//   rather than null), and a member whose value is `undefined` is left out, as JSON.stringify does, so
//   that what is hashed is what travels.
//
// The result is encoded as UTF-8 and hashed with keccak256.
import { type Hex, keccak256, stringToBytes } from "viem";
import { ChatProtocolError } from "./errors.ts";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A value the canonical encoding accepts. */
export type CanonicalValue = string | number | boolean | readonly CanonicalValue[] | { [key: string]: CanonicalValue };

/**
 * The canonical JSON of `value` (see the top of this file). Throws a `ChatProtocolError` (`MALFORMED`)
 * naming the path of a value it refuses.
 *
 * @example
 * canonicalJson({ type: "text", text: "hi", a: [2, 1] }); // '{"a":[2,1],"text":"hi","type":"text"}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, "body");
}

/**
 * keccak256 of the UTF-8 of `canonicalJson(body)`: the `body` field of the signed `ChatMessage`.
 *
 * @example
 * const hash = bodyHash({ type: "text", text: "hi" });
 */
export function bodyHash(body: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson(body)));
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
      if (LONE_SURROGATE.test(value)) fail(path, "a string that is not well-formed Unicode (a lone surrogate)");
      return JSON.stringify(value);
    case "number":
      if (!Number.isSafeInteger(value)) fail(path, `${value}, which is not an integer within ±(2^53 − 1)`);
      return Object.is(value, -0) ? "0" : String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) fail(path, "null (leave the field out instead)");
      if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(",")}]`;
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) fail(path, "an object that is not plain JSON");
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => {
          if (LONE_SURROGATE.test(key)) fail(path, "a key that is not well-formed Unicode");
          return `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`;
        });
      return `{${members.join(",")}}`;
    }
    default:
      return fail(path, `a value of type ${typeof value}`);
  }
}

function fail(path: string, what: string): never {
  throw new ChatProtocolError(
    "MALFORMED",
    `${path}: got ${what}; the canonical encoding takes strings, safe integers, booleans, arrays and objects`,
  );
}
