import type { Address } from "viem";
import { NoMnemonicError } from "../errors.ts";
import { VaultAccountNotFoundError } from "./errors.ts";
import { openRecords, readRecords } from "./vault-open.ts";
import type { VaultStore } from "./vault-store.ts";

export interface ExportPhraseParameters {
  /** Asked again, even in an unlocked session: someone at an unlocked screen should not read the phrase. */
  password: string;
  address: Address;
}

export interface ExportPhraseReturnType {
  mnemonic: string;
  /** The account's path under that phrase. */
  path: string;
}

/**
 * The BIP-39 phrase behind `address`, after the vault's password is given again.
 *
 * @example
 * const { mnemonic } = await exportPhrase(store, { password, address });
 */
export async function exportPhrase(
  store: VaultStore,
  { password, address }: ExportPhraseParameters,
): Promise<ExportPhraseReturnType> {
  const record = (await readRecords(store)).find((candidate) => candidate.address === address);
  if (record === undefined) throw new VaultAccountNotFoundError(`${address} is not in the vault`);
  const [opened] = await openRecords([record], password);
  if (opened?.secret.mnemonic === undefined || record.path === undefined) {
    throw new NoMnemonicError(`${address} was imported from a private key; it has no phrase to export`);
  }
  return { mnemonic: opened.secret.mnemonic, path: record.path };
}
