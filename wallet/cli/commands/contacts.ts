// contacts add | list | remove: the address book behind `@name`.
import { addContact } from "../../contacts/addContact.ts";
import { listContacts } from "../../contacts/listContacts.ts";
import { removeContact } from "../../contacts/removeContact.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";

export async function add(cli: Cli, name: string, address: string): Promise<CommandResult> {
  const added = await addContact({ home: cli.home, name, address });
  return result({ ...added }, `added @${added.name} ${added.address}`);
}

export async function list(cli: Cli): Promise<CommandResult> {
  const contacts = await listContacts({ home: cli.home });
  return result(
    { contacts },
    contacts.length === 0 ? ["no contacts"] : contacts.map((c) => `@${c.name.padEnd(20)} ${c.address}`),
  );
}

export async function remove(cli: Cli, name: string): Promise<CommandResult> {
  const removed = await removeContact({ home: cli.home, name });
  return result({ ...removed }, `removed @${removed.name} (${removed.address})`);
}
