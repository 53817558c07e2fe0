import type { Address } from "viem";
import { parseAddress } from "../address.ts";
import { ContactsFileError, WalletError } from "../errors.ts";
import { contactsFile } from "../home.ts";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { normalizeContactName } from "./contact-name.ts";

/** name → checksummed address, as in `$GRAM_HOME/contacts.json`. */
export type Contacts = Record<string, Address>;

/** Reads and checks the address book; a missing file is an empty book. */
export async function readContacts(home: string): Promise<Contacts> {
  const file = contactsFile(home);
  const text = await readFileIfExists(file, FILE_BOUNDS.contacts);
  if (text === undefined) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(file, "not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw invalid(file, "expected a JSON object of name → address");
  }
  const contacts: Contacts = {};
  for (const [key, value] of Object.entries(data)) {
    try {
      const name = normalizeContactName(key);
      if (name !== key) throw invalid(file, `name '${key}' is not in its stored form '${name}'`);
      if (typeof value !== "string") throw invalid(file, `${key}: expected an address string`);
      contacts[name] = parseAddress(value, `${key}'s address`);
    } catch (error) {
      if (error instanceof ContactsFileError || !(error instanceof WalletError)) throw error;
      throw invalid(file, error.shortMessage);
    }
  }
  return contacts;
}

/** Replaces the address book atomically, names sorted so that the file diffs well. */
export async function writeContacts(home: string, contacts: Contacts): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(contacts).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic({
    file: contactsFile(home),
    data: `${JSON.stringify(sorted, null, 2)}\n`,
    // Whom one pays is private too.
    mode: 0o600,
    dirMode: 0o700,
  });
}

function invalid(file: string, what: string) {
  return new ContactsFileError(`${file}: ${what}`, { hint: "fix or remove the entry by hand; the file is plain JSON" });
}
