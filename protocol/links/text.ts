import { LinkError } from "./errors.ts";

// Characters that let text shown before signing pose as something else: controls (terminal escapes,
// newlines that fake extra summary lines), format characters (bidirectional overrides that reorder an
// amount, Trojan-Source style; invisible marks; the byte-order mark) and line/paragraph separators.
// ZWNJ and ZWJ stay: emoji sequences and several scripts need them.
const FORBIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks text a wallet will display (titles, item names, memos): well-formed Unicode in NFC, with no
 * control, bidirectional or invisible formatting characters, at most `maxLength` code points.
 * Throws a `LinkError` naming `field`.
 */
export function checkDisplayText(value: string, field: string, maxLength: number): string {
  if (LONE_SURROGATE.test(value)) throw new LinkError("invalid-text", `${field}: not well-formed Unicode`);
  const forbidden = FORBIDDEN.exec(value);
  if (forbidden !== null) {
    const codePoint = forbidden[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    throw new LinkError(
      "invalid-text",
      `${field}: contains U+${codePoint} at position ${forbidden.index}, a control or formatting character`,
      { hint: "Text shown before signing may not contain control, bidirectional or invisible characters." },
    );
  }
  if (value.normalize("NFC") !== value) {
    throw new LinkError("invalid-text", `${field}: not in Unicode normalization form C (NFC)`);
  }
  const length = [...value].length;
  if (length > maxLength) {
    throw new LinkError("invalid-text", `${field}: ${length} characters, at most ${maxLength} allowed`);
  }
  return value;
}
