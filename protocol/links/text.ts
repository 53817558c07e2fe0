import { LinkError } from "./errors.ts";

// Characters that let text shown to a user pose as something else: controls (terminal escapes, newlines
// that fake extra summary lines), format characters (bidirectional overrides that reorder an amount,
// Trojan-Source style; invisible marks such as U+200B; the byte-order mark; tag characters that smuggle
// invisible text) and the line and paragraph separators U+2028/U+2029. ZWNJ and ZWJ stay: emoji
// sequences and several scripts need them. This is the one definition: memos, titles and item names
// (`checkDisplayText`) and chat messages (protocol/chat/fields.ts, which also keeps newline and tab).
const FORBIDDEN_CLASS = String.raw`[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]`;
const ALWAYS_ALLOWED = String.raw`\u200c\u200d`;
const FORBIDDEN = new RegExp(`(?![${ALWAYS_ALLOWED}])${FORBIDDEN_CLASS}`, "u");
const FORBIDDEN_IN_MULTILINE = new RegExp(`(?![${ALWAYS_ALLOWED}\\n\\t])${FORBIDDEN_CLASS}`, "u");
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A character text may not hold, as found by `findForbiddenCharacter`. */
export interface ForbiddenCharacter {
  /** `U+200B`. */
  codePoint: string;
  /** Where it is, in UTF-16 code units. */
  index: number;
}

/**
 * The first control, format (bidirectional, invisible) or line/paragraph separator character of `value`,
 * ZWNJ and ZWJ excepted; with `multiline`, newline and tab are allowed too (a message someone typed).
 *
 * @example
 * findForbiddenCharacter("pay\u200bme"); // { codePoint: "U+200B", index: 3 }
 * findForbiddenCharacter("two\nlines", { multiline: true }); // undefined
 */
export function findForbiddenCharacter(
  value: string,
  { multiline = false }: { multiline?: boolean } = {},
): ForbiddenCharacter | undefined {
  const found = (multiline ? FORBIDDEN_IN_MULTILINE : FORBIDDEN).exec(value);
  if (found === null) return undefined;
  const codePoint = (found[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0");
  return { codePoint: `U+${codePoint}`, index: found.index };
}

/**
 * Checks text a wallet will display (titles, item names, memos): well-formed Unicode in NFC, with no
 * control, bidirectional or invisible formatting characters, at most `maxLength` code points.
 * Throws a `LinkError` naming `field`.
 */
export function checkDisplayText(value: string, field: string, maxLength: number): string {
  if (LONE_SURROGATE.test(value)) throw new LinkError("INVALID_TEXT", `${field}: not well-formed Unicode`);
  const forbidden = findForbiddenCharacter(value);
  if (forbidden !== undefined) {
    throw new LinkError(
      "INVALID_TEXT",
      `${field}: contains ${forbidden.codePoint} at position ${forbidden.index}, a control or formatting character`,
      { hint: "Text shown before signing may not contain control, bidirectional or invisible characters." },
    );
  }
  if (value.normalize("NFC") !== value) {
    throw new LinkError("INVALID_TEXT", `${field}: not in Unicode normalization form C (NFC)`);
  }
  const length = [...value].length;
  if (length > maxLength) {
    throw new LinkError("INVALID_TEXT", `${field}: ${length} characters, at most ${maxLength} allowed`);
  }
  return value;
}
