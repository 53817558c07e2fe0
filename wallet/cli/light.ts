// What `gram balance --node` and `gram history --node` need before asking the node (the URLs, the
// account's address, the deployment's token), without loading viem: importing it (through
// wallet/keys/parseKeystore.ts, wallet/address.ts or protocol/deployments.ts) costs ~330 ms, more than
// the rest of such a read. Anything out of the ordinary falls back to the full code, which reports it
// exactly as every other command does.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { keccak_256 } from "@noble/hashes/sha3";
import type { Address } from "viem";
import { indexOfPath } from "../keys/derivationPath.ts";
import { CliError } from "./errors.ts";
import type { Cli } from "./options.ts";

export const DEFAULT_RPC = "http://127.0.0.1:8545";

/** `--rpc`, else `$GRAM_RPC`, else the local chain of `npm start`; checked for a scheme viem can use. */
export function rpcUrl(cli: Cli): string {
  const url = cli.options.rpc ?? cli.env.GRAM_RPC ?? DEFAULT_RPC;
  return checkUrl(url, "--rpc", /^(https?|wss?):$/, "an http(s) or ws(s) URL");
}

/** `--node`, else `$GRAM_NODE`; undefined when neither is set. */
export function nodeUrl(cli: Cli): string | undefined {
  const url = cli.options.node ?? cli.env.GRAM_NODE;
  if (url === undefined || url === "") return undefined;
  return checkUrl(url, "--node", /^https?:$/, "an http(s) URL of a gram node");
}

export function requireNode(cli: Cli, why: string): string {
  const url = nodeUrl(cli);
  if (url === undefined) {
    throw new CliError("NO_NODE", `${why} needs a gram node`, { hint: "pass --node <url> or set GRAM_NODE" });
  }
  return url;
}

function checkUrl(url: string, flag: string, schemes: RegExp, expected: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed === undefined || !schemes.test(parsed.protocol)) {
    throw new CliError("INVALID_OPTION", `${flag}: got '${url.slice(0, 80)}', expected ${expected}`);
  }
  return url;
}

/** EIP-55: the hex digits whose nibble in keccak256(lower-case hex) is 8 or more are upper case. */
export function checksum(address: string): Address {
  const hex = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(hex));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? (hex[i] as string).toUpperCase() : hex[i];
  }
  return out as Address;
}

/**
 * The address `selectAccount` would choose, for the default account or `--account <n>`. Reads the
 * keystores' clear-text fields (address, x-ethers path) and orders them as `listAccounts` does; any
 * keystore that does not look like one Gram wrote (not JSON, another version, cipher or kdf, no address),
 * `--account <address>`, or no such account: `selectAccount` itself, with its warnings and errors.
 */
export async function readAccountAddress(cli: Cli): Promise<Address> {
  const full = async () => (await (await import("./context.ts")).selectAccount(cli)).address;
  const wanted = cli.options.account ?? cli.env.GRAM_ACCOUNT;
  if (wanted !== undefined && wanted !== "" && !/^\d+$/.test(wanted)) return full();
  const accounts = await listPlainly(join(cli.home, "keystore"));
  const found = accounts?.[wanted === undefined || wanted === "" ? 0 : Number(wanted)];
  return found ?? full();
}

async function listPlainly(dir: string): Promise<Address[] | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const accounts: { address: Address; index: number | undefined }[] = [];
  for (const name of names.filter((n) => n.endsWith(".json") && !n.startsWith("."))) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(await readFile(join(dir, name), "utf8"));
    } catch {
      return undefined;
    }
    if (typeof record !== "object" || record === null || record.version !== 3) return undefined;
    const crypto = (record.crypto ?? record.Crypto) as { cipher?: unknown; kdf?: unknown } | undefined;
    const kdf = typeof crypto?.kdf === "string" ? crypto.kdf.toLowerCase() : undefined;
    if (crypto?.cipher !== "aes-128-ctr" || (kdf !== "scrypt" && kdf !== "pbkdf2")) return undefined;
    const hex = typeof record.address === "string" ? record.address.replace(/^(0x)?/i, "0x") : "";
    if (!/^0x[0-9a-fA-F]{40}$/.test(hex)) return undefined;
    const ethers = record["x-ethers"] as { path?: unknown } | undefined;
    if (ethers !== undefined && (typeof ethers !== "object" || ethers === null)) return undefined;
    if (ethers?.path !== undefined && typeof ethers.path !== "string") return undefined;
    const path = ethers?.path as string | undefined;
    accounts.push({ address: checksum(hex), index: path === undefined ? undefined : indexOfPath(path) });
  }
  accounts.sort(
    (a, b) =>
      (a.index ?? Number.POSITIVE_INFINITY) - (b.index ?? Number.POSITIVE_INFINITY) ||
      a.address.toLowerCase().localeCompare(b.address.toLowerCase()),
  );
  return accounts.map((a) => a.address);
}

/**
 * The GramToken address recorded in `<deployments>/<chainId>.json`, read as plain JSON (to show only
 * that token's balance); undefined when there is no such record or it cannot be read.
 */
export async function recordedToken(cli: Cli, chainId: number): Promise<string | undefined> {
  const dir = cli.options.deployments ?? (cli.env.GRAM_DEPLOYMENTS_DIR || "deployments");
  try {
    const record = JSON.parse(await readFile(join(dir, `${chainId}.json`), "utf8"));
    const address = record?.chainId === chainId ? record.contracts?.GramToken?.address : undefined;
    return typeof address === "string" && /^0x[0-9a-fA-F]{40}$/.test(address) ? address : undefined;
  } catch {
    return undefined;
  }
}
