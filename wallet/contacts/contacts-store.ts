// The address book in a file, for the CLI and the Node scripts: `$GRAM_HOME/contacts.json`, names sorted,
// written atomically, mode 0600. The one part of the contacts that needs a file system; the book's rules
// and the interface are in `contacts-book.ts`.
import { contactsFile } from "../home.ts";
import { FILE_BOUNDS } from "../internal/readBoundedFile.ts";
import { readFileIfExists } from "../internal/readFileIfExists.ts";
import { writeFileAtomic } from "../internal/writeFileAtomic.ts";
import { type Contacts, type ContactsStore, damagedContacts, parseContacts, sortContacts } from "./contacts-book.ts";

export type { Contacts } from "./contacts-book.ts";

/**
 * The book in `$GRAM_HOME/contacts.json`; a missing file is an empty book, a damaged one a
 * `ContactsFileError` naming the file.
 *
 * @example
 * await addContact({ contacts: fileContactsStore(home), name: "bob", address });
 */
export function fileContactsStore(home: string): ContactsStore {
  const file = contactsFile(home);
  return {
    async read() {
      const text = await readFileIfExists(file, FILE_BOUNDS.contacts);
      if (text === undefined) return {};
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw damagedContacts(file, "not valid JSON");
      }
      return parseContacts(data, file);
    },
    async write(contacts) {
      await writeFileAtomic({
        file,
        data: `${JSON.stringify(sortContacts(contacts), null, 2)}\n`,
        // Whom one pays is private too.
        mode: 0o600,
        dirMode: 0o700,
      });
    },
  };
}

/** Reads and checks the address book in `home`; a missing file is an empty book. */
export async function readContacts(home: string): Promise<Contacts> {
  return fileContactsStore(home).read();
}

/** Replaces the address book in `home` atomically, names sorted so that the file diffs well. */
export async function writeContacts(home: string, contacts: Contacts): Promise<void> {
  return fileContactsStore(home).write(contacts);
}
