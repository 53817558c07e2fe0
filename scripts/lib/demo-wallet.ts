// The demo wallet `npm start` prepares: one `$GRAM_HOME` holding the keystores of alice, bob, the merchant
// and the arbiter (Hardhat's public development keys, so their scrypt cost is low: nothing to protect, and
// every command unlocks at once), each other's contacts, and the password in a 0600 file. Kept between
// runs: the keys are the same every time.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Address } from "viem";
import { HARDHAT_MNEMONIC } from "../../protocol/dev-chain.ts";
import { addContact } from "../../wallet/contacts/addContact.ts";
import { readContacts } from "../../wallet/contacts/contacts-store.ts";
import { deriveAccount } from "../../wallet/keys/deriveAccount.ts";
import { listAccounts } from "../../wallet/keys/listAccounts.ts";
import { writeKeystore } from "../../wallet/keys/writeKeystore.ts";

export const DEMO_PASSWORD = "gram-demo";
const DEMO_SCRYPT_N = 2 ** 12;

export interface DemoWallet {
  home: string;
  passwordFile: string;
  accounts: Record<string, Address>;
}

/**
 * Writes (or reuses) the demo accounts' keystores and contacts in `home`. `names[i]` is Hardhat's account
 * `firstIndex + i`.
 */
export async function prepareDemoWallet(
  home: string,
  names: readonly string[],
  firstIndex: number,
): Promise<DemoWallet> {
  const passwordFile = join(home, "password");
  await writeFile(passwordFile, `${DEMO_PASSWORD}\n`, { mode: 0o600 });
  const held = new Set((await listAccounts({ home })).accounts.map((account) => account.address));
  const contacts = await readContacts(home);
  const accounts: Record<string, Address> = {};
  for (const [i, name] of names.entries()) {
    const { address, privateKey } = deriveAccount({ mnemonic: HARDHAT_MNEMONIC, index: firstIndex + i });
    accounts[name] = address;
    if (!held.has(address)) {
      await writeKeystore({ home, account: { privateKey }, password: DEMO_PASSWORD, scryptN: DEMO_SCRYPT_N });
    }
    if (contacts[name] === undefined) await addContact({ home, name, address });
  }
  return { home, passwordFile, accounts };
}

/** Hardhat's account `index`: its private key, for a key file (the demo relayer's). */
export function hardhatKey(index: number) {
  return deriveAccount({ mnemonic: HARDHAT_MNEMONIC, index });
}
