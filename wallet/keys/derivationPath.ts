import { InvalidAccountIndexError } from "../errors.ts";

/** BIP-44 path of account `index` on Ethereum's coin type: m/44'/60'/0'/0/index. */
export function derivationPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new InvalidAccountIndexError(
      `account index ${String(index)} is out of range; expected an integer 0..2^31 - 1`,
    );
  }
  return `m/44'/60'/0'/0/${index}`;
}

/** The account index of a path written by `derivationPath`, or undefined for any other path. */
export function indexOfPath(path: string): number | undefined {
  const match = /^m\/44'\/60'\/0'\/0\/(0|[1-9][0-9]{0,9})$/.exec(path);
  const index = match ? Number(match[1]) : Number.NaN;
  return index < 2 ** 31 ? index : undefined;
}
