// A table of malformed inputs to `gram`: each prints a clear error (as text, and as JSON with --json),
// exits 1, and nothing moves on the chain (balances, nonces and the block number are checked once for
// the whole table).
import { execFile } from "node:child_process";
import { copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escrowDomain, invoiceTypes } from "../../../protocol/eip712.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { decodeInvoiceLink, encodeInvoiceLink } from "../../../protocol/links/invoice-link.ts";
import { encodeRequestLink } from "../../../protocol/links/request-link.ts";
import { localAccount, ROLE } from "../../kit/accounts.ts";
import { type CliChain, jsonOf, keyMaterialLeaks, SECRETS, startCliChain } from "../../kit/cli-chain.ts";

let chain: CliChain;
const home: Record<string, string> = {};
const links: Record<string, string> = {};
const payer = localAccount(ROLE.payer).address;
const merchant = localAccount(ROLE.merchant).address;
const other = localAccount(ROLE.other).address;
const BAD_CHECKSUM = other.replace(/[a-f]/, (c) => c.toUpperCase());
const RANDOM = "0x1111111111111111111111111111111111111111" as Address;

beforeAll(async () => {
  chain = await startCliChain();
  home.payer = await chain.homeWith(ROLE.payer);
  home.merchant = await chain.homeWith(ROLE.merchant);
  home.empty = join(chain.temp, "empty-home");
  const pw = ["--password-file", chain.passwordFile, "--yes"];
  await chain.gram(["contacts", "add", "bob", other], { home: home.payer });

  // Keystores broken in the ways the table names.
  const keystoreOf = async (h: string) => {
    const dir = join(h, "keystore");
    return join(dir, (await readdir(dir))[0] as string);
  };
  const broken = async (name: string, change: (text: string) => string) => {
    const h = join(chain.temp, name);
    await mkdir(join(h, "keystore"), { recursive: true, mode: 0o700 });
    const source = await keystoreOf(home.payer as string);
    const target = join(h, "keystore", source.split("/").at(-1) as string);
    await copyFile(source, target);
    await writeFile(target, change(await readFile(target, "utf8")), { mode: 0o600 });
    home[name] = h;
  };
  await broken("truncated", (text) => text.slice(0, text.length / 2));
  await broken("tampered", (text) =>
    text.replace(/"ciphertext":"([0-9a-f])/, (_m, c) => `"ciphertext":"${c === "0" ? "1" : "0"}`),
  );
  await broken("notjson", () => "this is not a keystore");
  await broken("hugeKeystore", (text) => text.padEnd(70_000, " "));

  // Homes whose files are not what the wallet writes: special files in place of the keystore or contacts
  // (a named pipe hung the wallet; /dev/zero filled its memory), nonce files dated ahead of time or chain.
  const mkfifo = async (file: string) => {
    await promisify(execFile)("mkfifo", [file]);
  };
  const variant = async (name: string, prepare: (h: string, keystore: string) => Promise<void>) => {
    const h = join(chain.temp, name);
    await mkdir(join(h, "keystore"), { recursive: true, mode: 0o700 });
    const source = await keystoreOf(home.payer as string);
    const target = join(h, "keystore", source.split("/").at(-1) as string);
    await copyFile(source, target);
    await prepare(h, target);
    home[name] = h;
  };
  const replaceBy = (make: (file: string) => Promise<unknown>) => async (_h: string, keystore: string) => {
    await rm(keystore);
    await make(keystore);
  };
  await variant("fifoKeystore", replaceBy(mkfifo));
  await variant(
    "zeroKeystore",
    replaceBy((file) => symlink("/dev/zero", file)),
  );
  await variant("fifoContacts", (h) => mkfifo(join(h, "contacts.json")));
  const nonceOf = async (h: string, next: number, updatedAt: number) => {
    await mkdir(join(h, "nonces"), { recursive: true });
    const file = join(h, "nonces", `${chain.chainId}-${payer.toLowerCase()}.json`);
    await writeFile(file, JSON.stringify({ chainId: chain.chainId, address: payer, next, updatedAt }));
  };
  await variant("futureNonce", (h) => nonceOf(h, 5, Date.UTC(2099, 0, 1)));
  await variant("aheadNonce", (h) => nonceOf(h, 1_000_000, Date.now()));
  await mkfifo(join(chain.temp, "silent-password"));
  await writeFile(join(chain.temp, "huge-password.txt"), "x".repeat(5000));
  await writeFile(join(chain.temp, "wrong-password.txt"), "not the password\n");
  await writeFile(join(chain.temp, "empty-password.txt"), "\n");

  // A real invoice, its link, and links made from it: damaged, for another chain or token, re-signed badly.
  const created = jsonOf(
    await chain.gram(["invoice", "create", "10", "--title", "Soup", "--max-tip", "1", "--json", ...pw], {
      home: home.merchant,
    }),
  );
  links.invoice = created.link as string;
  const decoded = await decodeInvoiceLink(links.invoice);
  const sign = async (invoice: Invoice, chainId = chain.chainId, escrow = chain.escrow) =>
    localAccount(ROLE.merchant).signTypedData({
      domain: escrowDomain(chainId, escrow),
      types: invoiceTypes,
      primaryType: "Invoice",
      message: invoice,
    });
  const encode = (invoice: Invoice, signature: Hex, chainId = chain.chainId) =>
    encodeInvoiceLink({ chainId, escrow: chain.escrow, invoice, signature });
  const base = { ...decoded.invoice, metadataHash: decoded.invoice.metadataHash };
  const mid = Math.floor(links.invoice.length / 2);
  const swap = links.invoice[mid] === "A" ? "B" : "A";
  links.mangled = `${links.invoice.slice(0, mid)}${swap}${links.invoice.slice(mid + 1)}`;
  links.truncated = links.invoice.slice(0, -5);
  links.otherChain = encode(base, await sign(base, 10), 10);
  const otherToken = { ...base, token: RANDOM };
  links.otherToken = encode(otherToken, await sign(otherToken));
  const flipped = decoded.signature.replace(/^(0x.{10})(.)/, (_m, head, c) => `${head}${c === "0" ? "1" : "0"}`) as Hex;
  links.tamperedSignature = encode(base, flipped);
  const now = Number((await chain.client.getBlock()).timestamp);
  const expired = { ...base, nonce: 900n, payBefore: now - 60, captureBefore: now + 3600, refundBefore: now + 7200 };
  links.expiredInvoice = encode(expired, await sign(expired));
  const forOther = { ...base, nonce: 901n, payer: other };
  links.otherPayer = encode(forOther, await sign(forOther));
  const paid = jsonOf(
    await chain.gram(["invoice", "create", "1", "--title", "Tea", "--json", ...pw], { home: home.merchant }),
  );
  links.paid = paid.link as string;
  expect((await chain.gram(["pay", links.paid, ...pw], { home: home.payer })).code).toBe(0);
  links.requestOtherChain = encodeRequestLink({ chainId: 10, to: merchant, token: chain.token, amount: 1n });
  links.requestOtherToken = encodeRequestLink({ chainId: chain.chainId, to: merchant, token: RANDOM, amount: 1n });
  links.requestExpired = encodeRequestLink({
    chainId: chain.chainId,
    to: merchant,
    token: chain.token,
    amount: 1n,
    expiry: now - 60,
  });
}, 180_000);
afterAll(() => chain?.close());

interface Row {
  name: string;
  args: () => string[];
  /** Whose $GRAM_HOME. @default payer */
  home?: string;
  /** The `error.code` of --json. */
  code: string;
  /** What the message must say. */
  message: RegExp;
}

const pw = () => ["--password-file", chain.passwordFile, "--yes"];
const send = (to: string, amount: string) => () => ["send", to, amount, ...pw()];
const amount = (name: string, text: string, message: RegExp): Row => ({
  name: `send amount ${name}`,
  args: send("@bob", text),
  code: "INVALID_AMOUNT",
  message,
});

const rows: Row[] = [
  // --- amounts ---
  amount("negative", "-1", /amount '-1' is negative/),
  amount("with a plus sign", "+5", /sign/),
  amount("with 10 decimals", "1.0000000001", /has 10 decimals; GRAM allows at most 9/),
  amount("with an exponent", "1e3", /exponent|scientific/),
  amount("with an upper-case exponent", "2E2", /exponent|scientific/),
  amount("of Arabic-Indic digits", "١٢", /non-ASCII digit|ASCII/),
  amount("of full-width digits", "１２", /non-ASCII digit|ASCII/),
  amount("empty", "", /amount is empty/),
  amount("of spaces", "   ", /amount is empty/),
  amount("with a leading space", " 5", /space|whitespace/),
  amount("with a thousands separator", "1,000", /separator|','/),
  amount("in hex", "0x10", /is not decimal/),
  amount("ending in a point", "5.", /ends with '\.'; expected digits after it/),
  amount("starting with a point", ".5", /starts with '\.'; expected a digit before it/),
  amount("with two points", "1.2.3", /more than one '\.'|point/),
  amount("with leading zeros", "007", /leading zero/),
  amount("with letters", "abc", /expected a decimal number|digits|invalid/),
  amount("with a unit", "5 GRAM", /space|whitespace|invalid|unit/),
  amount("of zero", "0", /expected more than 0/),
  amount("above uint256", `1${"0".repeat(80)}`, /too large|overflow|2\^256/),
  amount("Infinity", "Infinity", /expected a decimal number|digits|invalid/),
  amount("NaN", "NaN", /expected a decimal number|digits|invalid/),
  // 100,000 digits (an argument may hold 128 KiB): refused by its length at once; the exponent check
  // took most of a minute over it.
  amount("of 100,000 digits", "1".repeat(100_000), /has 100000 characters; expected at most 79/),
  // --- files that are not what the wallet writes (early: the nonce file ahead is trusted for 5 minutes) ---
  {
    name: "a nonce file dated in the future",
    home: "futureNonce",
    args: send(other, "1"),
    code: "NONCE_FILE_INVALID",
    message: /nonces\/31337-0x[0-9a-f]{40}\.json: written at 2099-01-01T00:00:00\.000Z, which is after now/,
  },
  {
    name: "a nonce file far ahead of the chain",
    home: "aheadNonce",
    args: send(other, "1"),
    code: "NONCE_FILE_INVALID",
    message:
      /nonces\/31337-0x[0-9a-f]{40}\.json: next nonce 1000000 is \d+ ahead of the chain's count \d+; expected at most 64 ahead/,
  },
  {
    name: "a keystore that is a named pipe",
    home: "fifoKeystore",
    args: send(other, "1"),
    code: "FILE_NOT_REGULAR",
    message: /keystore \S+\/keystore\/0x[0-9a-fA-F]{40}\.json is a named pipe; expected a regular file/,
  },
  {
    name: "a keystore that is a symlink to /dev/zero",
    home: "zeroKeystore",
    args: send(other, "1"),
    code: "FILE_NOT_REGULAR",
    message: /keystore \S+\.json is a character device \(\/dev\/zero\); expected a regular file/,
  },
  {
    name: "a keystore larger than a keystore can be",
    home: "hugeKeystore",
    args: send(other, "1"),
    code: "FILE_TOO_LARGE",
    message: /keystore \S+\.json is 70000 bytes; expected at most 65536/,
  },
  {
    name: "a contacts file that is a named pipe",
    home: "fifoContacts",
    args: send("@bob", "1"),
    code: "FILE_NOT_REGULAR",
    message: /contacts file \S+\/contacts\.json is a named pipe; expected a regular file/,
  },
  {
    name: "--password-file /dev/zero",
    args: () => ["send", other, "1", "--yes", "--password-file", "/dev/zero"],
    code: "PASSWORD_FILE",
    message: /--password-file \/dev\/zero is a character device; expected a regular file or a pipe/,
  },
  {
    name: "--password-file larger than a password",
    args: () => ["send", other, "1", "--yes", "--password-file", join(chain.temp, "huge-password.txt")],
    code: "PASSWORD_FILE",
    message: /huge-password\.txt is 5000 bytes; expected at most 4096/,
  },
  {
    name: "--password-file a named pipe nobody writes to",
    args: () => ["send", other, "1", "--yes", "--password-file", join(chain.temp, "silent-password")],
    code: "PASSWORD_FILE",
    message: /silent-password is a pipe that nothing was written to within 30 s/,
  },
  {
    name: "import a private key from /dev/zero",
    home: "empty",
    args: () => ["import", "--private-key-file", "/dev/zero", ...pw()],
    code: "FILE_NOT_REGULAR",
    message: /--private-key-file \/dev\/zero is a character device; expected a regular file or a pipe/,
  },
  {
    name: "send more than the balance",
    args: send("@bob", "100000"),
    code: "INSUFFICIENT_BALANCE",
    message: /balance is [0-9.]+ GRAM; 100000 GRAM needed/,
  },
  // --- recipients ---
  {
    name: "address with a wrong checksum",
    args: () => send(BAD_CHECKSUM, "1")(),
    code: "ADDRESS_CHECKSUM",
    message: /wrong checksum/,
  },
  {
    name: "address too short",
    args: send("0x1234", "1"),
    code: "INVALID_ADDRESS",
    message: /expected 0x and 40 hex digits/,
  },
  {
    name: "address too long",
    args: send(`${other}00`, "1"),
    code: "INVALID_ADDRESS",
    message: /expected 0x and 40 hex digits/,
  },
  {
    name: "address with a non-hex digit",
    args: send(`0x${"g".repeat(40)}`, "1"),
    code: "INVALID_ADDRESS",
    message: /not an address/,
  },
  { name: "@unknown contact", args: send("@unknown", "1"), code: "UNKNOWN_CONTACT", message: /no contact @unknown/ },
  {
    name: "@bobb, a typo of a contact",
    args: send("@bobb", "1"),
    code: "UNKNOWN_CONTACT",
    message: /did you mean @bob\?/,
  },
  {
    name: "a bare name without @",
    args: send("bob", "1"),
    code: "INVALID_ADDRESS",
    message: /did you mean @bob|neither an address/,
  },
  { name: "@ with no name", args: send("@", "1"), code: "INVALID_CONTACT_NAME", message: /contact name is empty/ },
  {
    name: "a Cyrillic contact name",
    args: send("@боб", "1"),
    code: "INVALID_CONTACT_NAME",
    message: /U\+0431|expected only letters/,
  },
  { name: "an ENS name", args: send("alice.eth", "1"), code: "INVALID_ADDRESS", message: /neither an address/ },
  {
    name: "the token contract as recipient",
    args: () => send(chain.token, "1")(),
    code: "TOKEN_CONTRACT",
    message: /is a token contract/,
  },
  {
    name: "--token that is not an address",
    args: () => [...send(other, "1")(), "--token", "GRAM"],
    code: "INVALID_ADDRESS",
    message: /--token 'GRAM' is not an address/,
  },
  // --- links ---
  {
    name: "invoice link for another chain",
    args: () => ["pay", links.otherChain as string, ...pw()],
    code: "LINK_WRONG_CHAIN",
    message: /link is for chain 10, wallet is on chain 31337/,
  },
  {
    name: "invoice link for another token",
    args: () => ["pay", links.otherToken as string, ...pw()],
    code: "LINK_WRONG_TOKEN",
    message: /link is for token 0x1111/,
  },
  {
    name: "invoice link with a tampered signature",
    args: () => ["pay", links.tamperedSignature as string, ...pw()],
    code: "INVALID_INVOICE",
    message: /not signed by its merchant/,
  },
  {
    name: "invoice link with a mangled character",
    args: () => ["pay", links.mangled as string, ...pw()],
    code: "LINK_DAMAGED",
    message: /checksum|damaged|changed/,
  },
  {
    name: "invoice link cut short",
    args: () => ["pay", links.truncated as string, ...pw()],
    code: "LINK_DAMAGED",
    message: /checksum|damaged|changed|short/,
  },
  {
    name: "expired invoice",
    args: () => ["pay", links.expiredInvoice as string, ...pw()],
    code: "INVALID_INVOICE",
    message: /the invoice expired at/,
  },
  {
    name: "invoice for another payer",
    args: () => ["pay", links.otherPayer as string, ...pw()],
    code: "INVALID_INVOICE",
    message: /the invoice is for 0x/,
  },
  {
    name: "invoice already paid",
    args: () => ["pay", links.paid as string, ...pw()],
    code: "INVALID_INVOICE",
    message: /already paid/,
  },
  {
    name: "tip above the invoice's maximum",
    args: () => ["pay", links.invoice as string, "--tip", "2", ...pw()],
    code: "INVALID_INVOICE",
    message: /above the invoice's maximum of 1/,
  },
  {
    name: "tip with too many decimals",
    args: () => ["pay", links.invoice as string, "--tip", "0.0000000001", ...pw()],
    code: "INVALID_AMOUNT",
    message: /tip: .*10 decimals/,
  },
  {
    name: "--gasless without a node",
    args: () => ["pay", links.invoice as string, "--gasless", ...pw()],
    code: "NO_NODE",
    message: /--gasless needs a gram node/,
  },
  {
    name: "--gasless with --permit",
    args: () => ["pay", links.invoice as string, "--gasless", "--permit", ...pw()],
    code: "USAGE",
    message: /choose one/,
  },
  {
    name: "request link for another chain",
    args: () => ["pay", links.requestOtherChain as string, ...pw()],
    code: "LINK_WRONG_CHAIN",
    message: /chain 10/,
  },
  {
    name: "request link for another token",
    args: () => ["pay", links.requestOtherToken as string, ...pw()],
    code: "LINK_WRONG_TOKEN",
    message: /token 0x1111/,
  },
  {
    name: "expired request link",
    args: () => ["pay", links.requestExpired as string, ...pw()],
    code: "LINK_EXPIRED",
    message: /the payment request expired/,
  },
  {
    name: "not a link",
    args: () => ["pay", "https://example.com/pay", ...pw()],
    code: "LINK_INVALID_PREFIX",
    message: /not a payment link/,
  },
  {
    name: "EIP-681 link with a wrong checksum",
    args: () => ["pay", `ethereum:${chain.token}@31337/transfer?address=${BAD_CHECKSUM}&uint256=1`, ...pw()],
    code: "LINK_INVALID_ADDRESS",
    message: /checksum/,
  },
  {
    name: "EIP-681 link for another chain",
    args: () => ["pay", `ethereum:${chain.token}@1/transfer?address=${other}&uint256=1`, ...pw()],
    code: "LINK_WRONG_CHAIN",
    message: /chain 1, wallet is on chain 31337/,
  },
  {
    name: "EIP-681 native payment",
    args: () => ["pay", `ethereum:${other}@31337?value=1`, ...pw()],
    code: "LINK_WRONG_TOKEN",
    message: /native coin/,
  },
  // --- keystores and passwords ---
  {
    name: "truncated keystore",
    home: "truncated",
    args: send(other, "1"),
    code: "KEYSTORE_CORRUPT",
    message: /truncated/,
  },
  {
    name: "keystore that is not JSON",
    home: "notjson",
    args: send(other, "1"),
    code: "KEYSTORE_CORRUPT",
    message: /not a JSON keystore/,
  },
  {
    name: "tampered keystore ciphertext",
    home: "tampered",
    args: send(other, "1"),
    code: "WRONG_PASSWORD",
    message: /wrong password/,
  },
  {
    name: "wrong password",
    args: () => ["send", other, "1", "--yes", "--password-file", join(chain.temp, "wrong-password.txt")],
    code: "WRONG_PASSWORD",
    message: /wrong password for/,
  },
  {
    name: "empty password file",
    args: () => ["send", other, "1", "--yes", "--password-file", join(chain.temp, "empty-password.txt")],
    code: "EMPTY_PASSWORD",
    message: /password is empty/,
  },
  {
    name: "missing password file",
    args: () => ["send", other, "1", "--yes", "--password-file", join(chain.temp, "nope.txt")],
    code: "PASSWORD_FILE",
    message: /cannot read/,
  },
  {
    name: "no password and no terminal",
    args: () => ["send", other, "1", "--yes"],
    code: "NO_PASSWORD",
    message: /none given/,
  },
  {
    name: "export --reveal with a wrong password",
    args: () => ["export", "--reveal", "--password-file", join(chain.temp, "wrong-password.txt")],
    code: "WRONG_PASSWORD",
    message: /wrong password/,
  },
  { name: "export without --reveal", args: () => ["export", ...pw()], code: "REVEAL_REQUIRED", message: /private key/ },
  {
    name: "--account out of range",
    args: () => [...send(other, "1")(), "--account", "7"],
    code: "NO_ACCOUNT",
    message: /there are 1 accounts/,
  },
  {
    name: "--account of another address",
    args: () => [...send(other, "1")(), "--account", merchant],
    code: "NO_ACCOUNT",
    message: /no keystore for it/,
  },
  {
    name: "--account of an unknown name",
    args: () => [...send(other, "1")(), "--account", "nobody"],
    code: "UNKNOWN_CONTACT",
    message: /nobody/,
  },
  {
    name: "a home with no account",
    home: "empty",
    args: send(other, "1"),
    code: "NO_ACCOUNT",
    message: /no account in/,
  },
  {
    name: "init over an existing wallet",
    args: () => ["init", ...pw()],
    code: "WALLET_EXISTS",
    message: /already holds 1 account/,
  },
  { name: "import with no file", args: () => ["import", ...pw()], code: "USAGE", message: /exactly one of/ },
  {
    name: "import a malformed private key",
    args: () => ["import", "--private-key-file", chain.passwordFile, ...pw()],
    code: "INVALID_PRIVATE_KEY",
    message: /expected 64/,
  },
  // --- commands, options, invoices ---
  { name: "unknown command", args: () => ["frobnicate"], code: "USAGE", message: /unknown command 'frobnicate'/ },
  { name: "unknown option", args: () => ["balance", "--frob"], code: "USAGE", message: /unknown option '--frob'/ },
  {
    name: "send with a missing amount",
    args: () => ["send", other],
    code: "USAGE",
    message: /missing required argument 'amount'/,
  },
  { name: "pay with no link", args: () => ["pay"], code: "USAGE", message: /missing required argument 'link'/ },
  {
    name: "unknown invoice subcommand",
    args: () => ["invoice", "frob"],
    code: "USAGE",
    message: /unknown command 'frob'/,
  },
  {
    name: "--rpc that is not a URL",
    args: () => ["balance", "--rpc", "foo"],
    code: "INVALID_OPTION",
    message: /--rpc: got 'foo', expected an http\(s\) or ws\(s\) URL/,
  },
  {
    name: "--node that is not http",
    args: () => ["balance", "--node", "ftp://x"],
    code: "INVALID_OPTION",
    message: /--node: got 'ftp:\/\/x'/,
  },
  {
    name: "request with a bad --expires",
    args: () => ["request", "5", "--expires", "soon"],
    code: "INVALID_OPTION",
    message: /expected a duration/,
  },
  {
    name: "request of a negative amount",
    args: () => ["request", "-5"],
    code: "INVALID_AMOUNT",
    message: /amount '-5' is negative/,
  },
  {
    name: "request with a control character in the memo",
    args: () => ["request", "5", "--memo", "pay\u202Eme"],
    code: "LINK_INVALID_TEXT",
    message: /memo/,
  },
  {
    name: "invoice without --title",
    home: "merchant",
    args: () => ["invoice", "create", "5", ...pw()],
    code: "USAGE",
    message: /required option '--title <text>'/,
  },
  {
    name: "invoice with a malformed --item",
    home: "merchant",
    args: () => ["invoice", "create", "5", "--title", "x", "--item", "pizza", ...pw()],
    code: "INVALID_OPTION",
    message: /expected name:quantity:price/,
  },
  {
    name: "invoice with cashback above 100%",
    home: "merchant",
    args: () => ["invoice", "create", "5", "--title", "x", "--cashback", "200%", ...pw()],
    code: "INVALID_OPTION",
    message: /--cashback/,
  },
  {
    name: "invoice of 1.5e3",
    home: "merchant",
    args: () => ["invoice", "create", "1.5e3", "--title", "x", ...pw()],
    code: "INVALID_AMOUNT",
    message: /exponent|scientific/,
  },
  {
    name: "capture of an unknown invoice",
    home: "merchant",
    args: () => ["capture", "0xabcdef12", "1", ...pw()],
    code: "INVOICE_NOT_FOUND",
    message: /no invoice 0xabcdef12/,
  },
  {
    name: "capture of a non-hex id",
    home: "merchant",
    args: () => ["capture", "pizza", "1", ...pw()],
    code: "INVOICE_NOT_FOUND",
    message: /not an invoice id/,
  },
  {
    name: "capture with too many decimals",
    home: "merchant",
    args: () => ["capture", links.invoice as string, "1.0000000001", ...pw()],
    code: "INVALID_AMOUNT",
    message: /capture amount: .*10 decimals/,
  },
  {
    name: "refund of a negative amount",
    home: "merchant",
    args: () => ["refund", links.invoice as string, "-1", ...pw()],
    code: "INVALID_AMOUNT",
    message: /refund amount: amount '-1' is negative/,
  },
  {
    name: "withdraw of 1e2",
    home: "merchant",
    args: () => ["withdraw", "1e2", ...pw()],
    code: "INVALID_AMOUNT",
    message: /withdraw amount/,
  },
  {
    name: "tx speed-up of a short hash",
    args: () => ["tx", "speed-up", "0x1234", ...pw()],
    code: "INVALID_HASH",
    message: /not a transaction hash/,
  },
  {
    name: "contacts add with a wrong checksum",
    args: () => ["contacts", "add", "carol", BAD_CHECKSUM],
    code: "ADDRESS_CHECKSUM",
    message: /wrong checksum/,
  },
  {
    name: "contacts add with a space in the name",
    args: () => ["contacts", "add", "bo b", other],
    code: "INVALID_CONTACT_NAME",
    message: /contains a space/,
  },
  {
    name: "contacts remove of an unknown name",
    args: () => ["contacts", "remove", "zed"],
    code: "UNKNOWN_CONTACT",
    message: /no contact @zed/,
  },
  {
    name: "history --limit 0",
    args: () => ["history", "--limit", "0"],
    code: "INVALID_OPTION",
    message: /--limit: got '0'/,
  },
  {
    name: "balance --of a short address",
    args: () => ["balance", "--of", "0x12"],
    code: "INVALID_ADDRESS",
    message: /--of '0x12' is not an address/,
  },
];

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T);
      }
    }),
  );
  return results;
}

describe(`${rows.length} malformed inputs`, () => {
  it("each prints a clear error, exits 1, and nothing moves", async () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const watched = [payer, merchant, other, chain.escrow];
    const state = async () => ({
      block: await chain.client.getBlockNumber(),
      balances: await Promise.all(watched.map((a) => chain.balanceOf(a))),
      nonces: await Promise.all(watched.map((address) => chain.client.getTransactionCount({ address }))),
    });
    const before = await state();
    const failures: string[] = [];
    // Every row as text (message and code on stderr); every third also with --json (its error object).
    await pool(rows, 3, async (row) => {
      const h = home[row.home ?? "payer"];
      const index = rows.indexOf(row);
      const [text, json] = await Promise.all([
        chain.gram(row.args(), { home: h }),
        index % 3 === 0 ? chain.gram(["--json", ...row.args()], { home: h }) : undefined,
      ]);
      const problems: string[] = [];
      if (text.code !== 1) problems.push(`exit ${text.code}`);
      if (text.stdout !== "") problems.push(`stdout: ${text.stdout.slice(0, 200)}`);
      if (!/^(gram: |error: )/m.test(text.stderr)) problems.push(`stderr: ${text.stderr.slice(0, 300)}`);
      if (!row.message.test(text.stderr)) problems.push(`message ${row.message} not in: ${text.stderr.slice(0, 300)}`);
      if (!text.stderr.endsWith(`  code: ${row.code}\n`))
        problems.push(`code, expected ${row.code}: ${text.stderr.slice(-80)}`);
      if (json !== undefined) {
        if (json.code !== 1) problems.push(`--json exit ${json.code}`);
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(json.stdout);
        } catch {
          problems.push(`--json stdout: ${json.stdout.slice(0, 200)}`);
        }
        const error = parsed?.error as { code?: string; message?: string } | undefined;
        if (parsed?.ok !== false || error?.code !== row.code)
          problems.push(`--json code ${error?.code}, expected ${row.code}`);
        if (!row.message.test(error?.message ?? "")) problems.push(`--json message: ${error?.message}`);
        if (json.stderr !== "") problems.push(`--json stderr: ${json.stderr.slice(0, 200)}`);
      }
      if (problems.length) failures.push(`${row.name}: ${problems.join("; ")}`);
    });
    expect(failures).toEqual([]);
    expect(await state()).toEqual(before);
  }, 300_000);

  it("gram accounts names a keystore that is a named pipe or /dev/zero, and never hangs on it", async () => {
    // An unreadable keystore is listed as a warning, as a damaged one is; the harness kills a run after 60 s.
    for (const [name, what] of [
      ["fifoKeystore", "is a named pipe; expected a regular file"],
      ["zeroKeystore", "is a character device (/dev/zero); expected a regular file"],
    ] as const) {
      const run = await chain.gram(["accounts"], { home: home[name] });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/warning: keystore \S+\/keystore\/0x[0-9a-fA-F]{40}\.json is /);
      expect(run.stderr).toContain(`.json ${what}\n`);
      expect(run.stdout).toContain("no accounts in");
    }
  });

  it("no key material appears in any of their outputs", () => {
    expect(keyMaterialLeaks(SECRETS)).toEqual([]);
  });
});
