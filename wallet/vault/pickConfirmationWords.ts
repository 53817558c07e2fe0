import { normalizeMnemonic } from "../keys/mnemonic.ts";

export interface PickConfirmationWordsParameters {
  mnemonic: string;
  /** How many words the user types back. @default 3 */
  count?: number | undefined;
}

/**
 * Positions (1-based, ascending) of the words a user types back to show they wrote the new phrase down,
 * chosen with the operating system's random source.
 *
 * @example
 * const positions = pickConfirmationWords({ mnemonic }); // [2, 7, 11]: "type words 2, 7 and 11"
 */
export function pickConfirmationWords({ mnemonic, count = 3 }: PickConfirmationWordsParameters): number[] {
  const length = normalizeMnemonic(mnemonic).split(" ").length;
  if (!Number.isInteger(count) || count < 1 || count > length) {
    throw new RangeError(`count must be 1..${length}; got ${count}`);
  }
  const chosen = new Set<number>();
  const random = new Uint32Array(1);
  while (chosen.size < count) {
    crypto.getRandomValues(random);
    // Rejection sampling keeps every position equally likely.
    const limit = 2 ** 32 - (2 ** 32 % length);
    if ((random[0] as number) < limit) chosen.add(((random[0] as number) % length) + 1);
  }
  return [...chosen].sort((a, b) => a - b);
}
