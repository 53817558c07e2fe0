export interface RatePasswordParameters {
  password: string;
}

export interface RatePasswordReturnType {
  /** `too-short` is refused by the screens; the others are accepted with the hint. */
  level: "too-short" | "weak" | "fair" | "strong";
  /** A rough estimate of the password's entropy, in bits (length × log2 of the characters' alphabet). */
  bits: number;
  /** One sentence for the user: what to do to make it stronger, or that it is good. */
  hint: string;
}

/** Fewer characters than this are refused: the vault's KDF is fast enough that a short password falls. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * A strength hint for a new vault password. PBKDF2 is not memory-hard (docs/KEYS-WEB.md), so a copied
 * vault is as strong as its password: the hint asks for a long passphrase. The estimate is deliberately
 * simple (length and alphabet; repeated runs count once) and errs low: it is a hint, not a guarantee.
 *
 * @example
 * ratePassword({ password: "correct horse battery staple" }).level; // "strong"
 */
export function ratePassword({ password }: RatePasswordParameters): RatePasswordReturnType {
  const characters = [...password.normalize("NFKC")];
  // "aaaa…" or "1212…" say little more than their first few characters.
  const effective = characters.filter(
    (character, i) => character !== characters[i - 1] && character !== characters[i - 2],
  ).length;
  let alphabet = 0;
  if (/[a-z]/.test(password)) alphabet += 26;
  if (/[A-Z]/.test(password)) alphabet += 26;
  if (/[0-9]/.test(password)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(password)) alphabet += 33;
  const bits = Math.round(effective * Math.log2(Math.max(alphabet, 1)));
  if (characters.length < MIN_PASSWORD_LENGTH) {
    return {
      level: "too-short",
      bits,
      hint: `Use at least ${MIN_PASSWORD_LENGTH} characters; a passphrase of four or more random words is best.`,
    };
  }
  if (bits < 50) {
    return { level: "weak", bits, hint: "Weak: make it longer — add a few random words." };
  }
  if (bits < 75) {
    return { level: "fair", bits, hint: "Fair: a few more words would make it strong." };
  }
  return { level: "strong", bits, hint: "Strong: write it down somewhere safe — it cannot be recovered." };
}
