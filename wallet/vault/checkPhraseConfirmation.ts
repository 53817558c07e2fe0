import { normalizeMnemonic } from "../keys/mnemonic.ts";
import { PhraseNotConfirmedError } from "./errors.ts";

export interface CheckPhraseConfirmationParameters {
  mnemonic: string;
  /** Word position (1-based, from `pickConfirmationWords`) → the word the user typed there. */
  answers: Readonly<Record<number, string>>;
}

/**
 * Checks the words a user typed back from a new phrase. The error names the positions that do not
 * match, never a word (the words are the secret).
 *
 * @example
 * checkPhraseConfirmation({ mnemonic, answers: { 2: "zoo", 7: "abandon", 11: "wrong" } });
 */
export function checkPhraseConfirmation({ mnemonic, answers }: CheckPhraseConfirmationParameters): void {
  const words = normalizeMnemonic(mnemonic).split(" ");
  const positions = Object.keys(answers).map(Number);
  if (positions.length === 0) throw new PhraseNotConfirmedError("no words were given to confirm the phrase");
  const wrong = positions.filter((position) => {
    const typed = answers[position]?.normalize("NFKD").trim().toLowerCase();
    return words[position - 1] === undefined || typed !== words[position - 1];
  });
  if (wrong.length > 0) {
    throw new PhraseNotConfirmedError(
      `word${wrong.length > 1 ? "s" : ""} ${wrong.join(", ")} of the phrase do${wrong.length > 1 ? "" : "es"} not match`,
      { hint: "check your written copy of the phrase" },
    );
  }
}
