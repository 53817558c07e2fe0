import { mnemonicToEntropy } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { InvalidMnemonicError } from "../errors.ts";

const WORD_COUNTS = [12, 15, 18, 21, 24];

/**
 * Checks a BIP-39 English mnemonic and returns it normalised (NFKD, lower case, single spaces).
 * Errors name a bad word by its position only: the words are the secret.
 */
export function normalizeMnemonic(mnemonic: string): string {
  const text = mnemonic.normalize("NFKD").toLowerCase().trim();
  if (text === "") throw new InvalidMnemonicError("mnemonic is empty; expected 12, 15, 18, 21 or 24 words");
  const words = text.split(/\s+/u);
  if (!WORD_COUNTS.includes(words.length)) {
    throw new InvalidMnemonicError(`mnemonic has ${words.length} words; expected 12, 15, 18, 21 or 24`);
  }
  const unknown = words.findIndex((word) => !wordlist.includes(word));
  if (unknown !== -1) {
    throw new InvalidMnemonicError(`mnemonic word ${unknown + 1} is not in the BIP-39 English word list`, {
      hint: "check the spelling of that word against your backup",
    });
  }
  const phrase = words.join(" ");
  try {
    mnemonicToEntropy(phrase, wordlist);
  } catch {
    throw new InvalidMnemonicError("mnemonic checksum does not match; a word is wrong or out of order", {
      hint: "every word is in the list, so compare their order with your backup",
    });
  }
  return phrase;
}
