import { generateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { InvalidMnemonicError } from "../errors.ts";

export interface CreateMnemonicParameters {
  /** 12 words (128 bits of entropy) or 24 (256 bits). */
  words?: 12 | 24 | undefined;
}

export type CreateMnemonicReturnType = string;

/**
 * A fresh BIP-39 English mnemonic from the operating system's random source.
 *
 * @example
 * const mnemonic = createMnemonic({ words: 24 });
 */
export function createMnemonic({ words = 12 }: CreateMnemonicParameters = {}): CreateMnemonicReturnType {
  if (words !== 12 && words !== 24) {
    throw new InvalidMnemonicError(`a new mnemonic has 12 or 24 words; got ${String(words)}`);
  }
  return generateMnemonic(wordlist, words === 12 ? 128 : 256);
}
