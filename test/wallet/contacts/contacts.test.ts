import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeUsername } from "../../../protocol/chat/username.ts";
import {
  addContact,
  listContacts,
  normalizeContactName,
  removeContact,
  resolveRecipient,
} from "../../../wallet/contacts/index.ts";
import {
  AddressChecksumError,
  ContactExistsError,
  ContactsFileError,
  InvalidAddressError,
  InvalidContactNameError,
  UnknownContactError,
} from "../../../wallet/errors.ts";
import { ACCOUNT_0, ACCOUNT_1, BAD_CHECKSUM } from "../../kit/accounts.ts";
import { failure, tempHome } from "../../kit/wallet-helpers.ts";

const ACCOUNT_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

async function homeWithContacts(entries: Record<string, string>) {
  const home = await tempHome();
  for (const [name, address] of Object.entries(entries)) await addContact({ home, name, address });
  return home;
}

describe("contacts", () => {
  it("adds, lists and removes; stores case-folded names and checksummed addresses in contacts.json", async () => {
    const home = await tempHome();
    expect(await addContact({ home, name: "@Bob", address: ACCOUNT_1.toLowerCase() })).toEqual({
      name: "bob",
      address: ACCOUNT_1,
    });
    await addContact({ home, name: "alice.w", address: ACCOUNT_0 });
    expect(await listContacts({ home })).toEqual([
      { name: "alice.w", address: ACCOUNT_0 },
      { name: "bob", address: ACCOUNT_1 },
    ]);
    const file = join(home, "contacts.json");
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ "alice.w": ACCOUNT_0, bob: ACCOUNT_1 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await removeContact({ home, name: "BOB" })).toEqual({ name: "bob", address: ACCOUNT_1 });
    expect(await listContacts({ home })).toEqual([{ name: "alice.w", address: ACCOUNT_0 }]);
    // Atomic writes leave no temporary files behind.
    expect(await readdir(home)).toEqual(["contacts.json"]);
  });

  it("is empty before the first contact", async () => {
    expect(await listContacts({ home: await tempHome() })).toEqual([]);
  });

  it("refuses an address whose mixed case is not EIP-55, and stores nothing", async () => {
    const home = await tempHome();
    const error = await failure(AddressChecksumError, addContact({ home, name: "bob", address: BAD_CHECKSUM }));
    expect(error.code).toBe("ADDRESS_CHECKSUM");
    expect(await listContacts({ home })).toEqual([]);
  });

  it("refuses a name already taken, whatever its case", async () => {
    const home = await homeWithContacts({ bob: ACCOUNT_1 });
    const error = await failure(ContactExistsError, addContact({ home, name: "@BOB", address: ACCOUNT_2 }));
    expect(error.message).toMatchInlineSnapshot(`
      "contact @bob already exists (0x70997970C51812dc3A010C7d01b50e0d17dc79C8)
      Hint: \`gram contacts remove bob\` first to point it at another address"
    `);
    expect(await listContacts({ home })).toEqual([{ name: "bob", address: ACCOUNT_1 }]);
  });

  it("refuses names outside letters, digits, '_', '-' and '.', 1..32 long", async () => {
    const home = await tempHome();
    const messages = [];
    // "bоb" has a Cyrillic о: it looks like "bob" and must not pass for it.
    for (const name of ["", "@", "a".repeat(33), "bob smith", "bоb", "bob!", ".hidden", "-x", "🍕"]) {
      messages.push((await failure(InvalidContactNameError, addContact({ home, name, address: ACCOUNT_1 }))).message);
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "contact name is empty; expected 1 to 32 letters, digits, '_', '-' or '.'",
        "contact name is empty; expected 1 to 32 letters, digits, '_', '-' or '.'",
        "contact name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' has 33 characters; expected at most 32",
        "contact name 'bob smith' contains a space; expected only letters a-z, digits, '_', '-' and '.'",
        "contact name 'b?b' contains U+043E; expected only letters a-z, digits, '_', '-' and '.'",
        "contact name 'bob!' contains '!'; expected only letters a-z, digits, '_', '-' and '.'",
        "contact name '.hidden' starts with '.'; expected a letter or digit first",
        "contact name '-x' starts with '-'; expected a letter or digit first",
        "contact name '?' contains U+1F355; expected only letters a-z, digits, '_', '-' and '.'",
      ]
    `);
    expect(await addContact({ home, name: "a".repeat(32), address: ACCOUNT_1 })).toMatchObject({
      name: "a".repeat(32),
    });
  });
});

describe("resolveRecipient", () => {
  it("resolves @name to the contact's address and an address to itself, checksummed", async () => {
    const home = await homeWithContacts({ bob: ACCOUNT_1 });
    expect(await resolveRecipient({ home, recipient: "@Bob" })).toEqual({ address: ACCOUNT_1, contact: "bob" });
    expect(await resolveRecipient({ home, recipient: ACCOUNT_0.toLowerCase() })).toEqual({
      address: ACCOUNT_0,
      contact: undefined,
    });
  });

  it.each([
    ["full-width", "@ａｌｉｃｅ"],
    ["full-width capitals", "@ＡＬＩＣＥ"],
    ["a full-width @", "＠alice"],
    ["mathematical bold", "@𝐚𝐥𝐢𝐜𝐞"],
    ["circled letters", "@ⓐⓛⓘⓒⓔ"],
    ["a superscript a (ª)", "@ªlice"],
  ])("folds @name as the hub folds usernames (NFKC, lower case): %s %s is the contact alice", async (_, spelling) => {
    const home = await homeWithContacts({ alice: ACCOUNT_1 });
    expect(await resolveRecipient({ home, recipient: spelling })).toEqual({ address: ACCOUNT_1, contact: "alice" });
    expect(normalizeContactName(spelling)).toBe(normalizeUsername(spelling.replace(/^[@＠]/, "")));
  });

  it("stores a contact added under another spelling in its folded form: ﬁona (a ligature) is fiona", async () => {
    const home = await homeWithContacts({ ﬁona: ACCOUNT_1 });
    expect(await listContacts({ home })).toEqual([{ name: "fiona", address: ACCOUNT_1 }]);
    const taken = await failure(ContactExistsError, addContact({ home, name: "ＦＩＯＮＡ", address: ACCOUNT_2 }));
    expect(taken.shortMessage).toBe(`contact @fiona already exists (${ACCOUNT_1})`);
  });

  it("refuses an unknown @name, listing close names", async () => {
    const home = await homeWithContacts({ bob: ACCOUNT_1, bobby: ACCOUNT_0, alice: ACCOUNT_2 });
    const close = await failure(UnknownContactError, resolveRecipient({ home, recipient: "@bobb" }));
    const none = await failure(UnknownContactError, resolveRecipient({ home, recipient: "@zed" }));
    const removed = await failure(UnknownContactError, removeContact({ home, name: "alise" }));
    expect([close.message, none.message, removed.message]).toMatchInlineSnapshot(`
      [
        "no contact @bobb; did you mean @bob, @bobby?
      Hint: \`gram contacts list\` shows your contacts; \`gram contacts add <name> <address>\` adds one",
        "no contact @zed
      Hint: \`gram contacts list\` shows your contacts; \`gram contacts add <name> <address>\` adds one",
        "no contact @alise; did you mean @alice?
      Hint: \`gram contacts list\` shows your contacts; \`gram contacts add <name> <address>\` adds one",
      ]
    `);
  });

  it("refuses a wrong checksum and a bare name, suggesting @name when it is a contact", async () => {
    const home = await homeWithContacts({ bob: ACCOUNT_1 });
    const checksum = await failure(AddressChecksumError, resolveRecipient({ home, recipient: BAD_CHECKSUM }));
    const bare = await failure(InvalidAddressError, resolveRecipient({ home, recipient: "bob" }));
    expect([checksum.shortMessage, bare.message]).toMatchInlineSnapshot(`
      [
        "recipient '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' has a wrong checksum (mixed case that is not EIP-55)",
        "recipient 'bob' is neither an address (0x and 40 hex digits) nor a contact (@name)
      Hint: did you mean @bob?",
      ]
    `);
  });
});

describe("contacts.json edited by hand", () => {
  it.each([
    ["not JSON", "{ bob: 0x70 "],
    ["an array", "[]"],
    ["a bad name", JSON.stringify({ "bob smith": ACCOUNT_1 })],
    ["a name not in stored form", JSON.stringify({ Bob: ACCOUNT_1 })],
    ["a wrong checksum", JSON.stringify({ bob: BAD_CHECKSUM })],
    ["a number for an address", JSON.stringify({ bob: 5 })],
  ])("is refused when it holds %s, saying where", async (_, text) => {
    const home = await tempHome();
    await mkdir(home, { recursive: true });
    await writeFile(join(home, "contacts.json"), text);
    const error = await failure(ContactsFileError, listContacts({ home }));
    expect(error.shortMessage.replace(home, "$GRAM_HOME")).toMatch(/^\$GRAM_HOME\/contacts\.json: /);
    expect(error.code).toBe("CONTACTS_FILE_INVALID");
  });

  it("says what is wrong with each", async () => {
    const home = await tempHome();
    await mkdir(home, { recursive: true });
    await writeFile(join(home, "contacts.json"), JSON.stringify({ bob: BAD_CHECKSUM }));
    const error = await failure(ContactsFileError, resolveRecipient({ home, recipient: "@bob" }));
    expect(error.message.replace(home, "$GRAM_HOME")).toMatchInlineSnapshot(`
      "$GRAM_HOME/contacts.json: bob's address '0x70997970c51812dc3A010C7d01b50e0d17dc79C8' has a wrong checksum (mixed case that is not EIP-55)
      Hint: fix or remove the entry by hand; the file is plain JSON"
    `);
  });
});
