import { foldName } from "../../protocol/chat/username.ts";
import { InvalidContactNameError } from "../errors.ts";

const MAX_LENGTH = 32;

/**
 * A contact's name as stored: a leading '@' dropped, folded as the hub folds usernames (`foldName`: NFKC,
 * lower case), so `@ａｌｉｃｅ` is the contact alice and never the hub's "alice" behind the contact's back.
 * Then letters, digits, '_', '-' and '.', 1 to 32 of them, starting with a letter or digit. ASCII only, so
 * that two names that look the same are the same.
 */
export function normalizeContactName(text: string): string {
  const folded = foldName(text);
  const name = folded.startsWith("@") ? folded.slice(1) : folded;
  const shown = `'${text.replace(/[^\x20-\x7e]/gu, "?")}'`;
  if (name.length === 0) {
    throw new InvalidContactNameError("contact name is empty; expected 1 to 32 letters, digits, '_', '-' or '.'");
  }
  if (name.length > MAX_LENGTH) {
    throw new InvalidContactNameError(`contact name ${shown} has ${name.length} characters; expected at most 32`);
  }
  const bad = /[^a-z0-9_.-]/u.exec(name)?.[0];
  if (bad !== undefined) {
    const code = (bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    const what = bad === " " ? "a space" : /^[\x21-\x7e]$/.test(bad) ? `'${bad}'` : `U+${code}`;
    throw new InvalidContactNameError(
      `contact name ${shown} contains ${what}; expected only letters a-z, digits, '_', '-' and '.'`,
    );
  }
  if (!/^[a-z0-9]/.test(name)) {
    throw new InvalidContactNameError(
      `contact name ${shown} starts with '${name[0]}'; expected a letter or digit first`,
    );
  }
  return name;
}

/** Up to three names close to `name` (a typo away, or sharing its start), closest first. */
export function closeNames(name: string, names: string[]): string[] {
  return names
    .map((candidate) => ({ candidate, distance: distance(name, candidate) }))
    .filter(({ candidate, distance }) => distance <= 2 || candidate.startsWith(name) || name.startsWith(candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
