// Usernames: what people type after `@`. A name is NFKC-normalized and lowercased, then must be 3–32
// characters of a–z, 0–9 and _, starting with a letter. That small alphabet is how look-alikes are
// refused: rather than keep a confusables table (Unicode TR39) that could miss one, no character outside
// ASCII letters, digits and underscore is accepted at all, so "аlice" with a Cyrillic а, "alice\u200b"
// with a zero-width space or "al.ice" cannot be registered beside "alice". NFKC first lets fullwidth
// "ａｌｉｃｅ" or "Alice" name the same account as "alice" rather than be refused or become another name.
import { quote } from "../errors.ts";
import { ChatProtocolError } from "./errors.ts";

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;

const PATTERN = /^[a-z][a-z0-9_]*$/;
const EXPECTED = `expected ${USERNAME_MIN_LENGTH}–${USERNAME_MAX_LENGTH} characters of a–z, 0–9 and _, starting with a letter`;

/**
 * How a typed name is folded before it is looked up anywhere: NFKC, then lower case. The hub's usernames
 * and the wallet's contact names both go through it, so that `@ａｌｉｃｅ`, `@Alice` and `@alice` are one
 * name to both, and the contact book (which wins) is never bypassed by another spelling of a contact.
 *
 * @example
 * foldName("ＡＬＩＣＥ"); // "alice"
 */
export function foldName(input: string): string {
  return input.normalize("NFKC").toLowerCase();
}

/**
 * The canonical form of a username (NFKC, lowercase), or a `ChatProtocolError` (`INVALID_USERNAME`) that
 * says which character is refused and what is expected. A leading `@` is not part of the name: strip it first.
 *
 * @example
 * normalizeUsername("Alice_1"); // "alice_1"
 * normalizeUsername("аlice"); // throws: contains U+0430 at position 0 …
 */
export function normalizeUsername(input: string): string {
  if (typeof input !== "string") {
    throw new ChatProtocolError("INVALID_USERNAME", `username: got ${quote(input)}, ${EXPECTED}`);
  }
  const name = foldName(input);
  const length = [...name].length;
  if (length < USERNAME_MIN_LENGTH || length > USERNAME_MAX_LENGTH) {
    throw new ChatProtocolError(
      "INVALID_USERNAME",
      `username: got ${quote(input)} (${length} characters), ${EXPECTED}`,
    );
  }
  if (PATTERN.test(name)) return name;
  let position = 0;
  for (const char of name) {
    const allowed = position === 0 ? /[a-z]/ : /[a-z0-9_]/;
    if (!allowed.test(char)) {
      const codePoint = (char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0");
      throw new ChatProtocolError(
        "INVALID_USERNAME",
        `username: got ${quote(input)}, which contains ${JSON.stringify(char)} (U+${codePoint}) at position ${position}; ${EXPECTED}`,
        { hint: "Letters of other scripts, look-alikes, dots, spaces and invisible characters are refused." },
      );
    }
    position++;
  }
  // Unreachable: a name that fails the pattern has a character the loop refuses.
  throw new ChatProtocolError("INVALID_USERNAME", `username: got ${quote(input)}, ${EXPECTED}`);
}

/** Whether `input` is a valid username (in any case or width that normalizes to one). */
export function isValidUsername(input: string): boolean {
  try {
    normalizeUsername(input);
    return true;
  } catch {
    return false;
  }
}
