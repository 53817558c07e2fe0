import { type Address, getAddress, isAddressEqual } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import type { GramClient } from "../actions/client.ts";
import { readHistory } from "../actions/readHistory.ts";
import { closeNames } from "../contacts/contact-name.ts";
import { looksAlike } from "./looksAlike.ts";

/**
 * `refuse`: never sign (a link for another chain or token). `block`: sign only after the user looked
 * again, and never on `--yes` alone. `notice`: say it, go on.
 */
export interface SafetyWarning {
  code: "WRONG_CHAIN" | "WRONG_TOKEN" | "LOOK_ALIKE" | "TOKEN_CONTRACT" | "FIRST_PAYMENT" | "HUB_NAME";
  level: "refuse" | "block" | "notice";
  message: string;
  /** For LOOK_ALIKE: the address it resembles and where the wallet knows it from. */
  similarTo?: { address: Address; source: "contacts" | "history"; name?: string | undefined } | undefined;
}

export interface CheckPaymentSafetyParameters {
  recipient: Address;
  /** The chain a link or request names, if it names one. */
  chainId?: number | undefined;
  /** The token a link or request names, if it names one. */
  token?: Address | undefined;
  /** The account paying. @default the unlocked account */
  from?: Address | undefined;
  /** Where the history starts (the deployment's block). @default 0n */
  fromBlock?: bigint | undefined;
  /**
   * The chat hub's username the recipient was found by (`~name`), when the user typed a name that is not
   * one of their contacts: anyone may register any free name.
   */
  hubName?: string | undefined;
}

export interface CheckPaymentSafetyReturnType {
  warnings: SafetyWarning[];
  /** Some warning is `refuse`. */
  refused: boolean;
  /** Some warning is `block` (or `refuse`): `--yes` alone must not go ahead. */
  blocking: boolean;
}

/**
 * What to warn about before paying `recipient`: a link for another chain or token (refused); a recipient
 * that looks like (same first and last 4 hex digits) a different address from the contacts or history,
 * or that is a token contract (blocking); a recipient never paid before (a notice), which the hub named
 * (`hubName`) and the contacts do not (HUB_NAME: a notice that says so, and names close contacts).
 *
 * @example
 * const { refused, blocking, warnings } = await checkPaymentSafety(client, { recipient, chainId: link.chainId, token: link.token });
 */
export async function checkPaymentSafety(
  client: GramClient,
  { recipient, chainId, token, from = client.account?.address, fromBlock = 0n, hubName }: CheckPaymentSafetyParameters,
): Promise<CheckPaymentSafetyReturnType> {
  const warnings: SafetyWarning[] = [];
  const to = getAddress(recipient);
  if (chainId !== undefined && chainId !== client.chainId) {
    warnings.push({
      code: "WRONG_CHAIN",
      level: "refuse",
      message: `the link is for chain ${chainId}, but this wallet is on chain ${client.chainId}`,
    });
  }
  if (token !== undefined && !isAddressEqual(token, client.contracts.token)) {
    warnings.push({
      code: "WRONG_TOKEN",
      level: "refuse",
      message: `the link asks for token ${getAddress(token)}, not the configured ${client.contracts.token}`,
    });
  }

  const contacts = await client.stores.contacts.read();
  const history =
    from === undefined ? [] : (await readHistory(client, { address: from, fromBlock, limit: 10_000 })).entries;
  const known = new Map<string, NonNullable<SafetyWarning["similarTo"]>>();
  for (const entry of history)
    known.set(entry.counterparty.toLowerCase(), { address: entry.counterparty, source: "history" });
  for (const [name, address] of Object.entries(contacts))
    known.set(address.toLowerCase(), { address, source: "contacts", name });
  for (const similar of known.values()) {
    if (!looksAlike(to, similar.address)) continue;
    const where = similar.source === "contacts" ? `your contact @${similar.name}` : "an address in your history";
    warnings.push({
      code: "LOOK_ALIKE",
      level: "block",
      message: `${to} looks like ${where}, ${similar.address}, but is a different address`,
      similarTo: similar,
    });
  }

  if (await isTokenContract(client, to)) {
    warnings.push({
      code: "TOKEN_CONTRACT",
      level: "block",
      message: `${to} is a token contract; tokens sent to it are most likely lost`,
    });
  }
  const paidBefore = history.some((entry) => entry.direction === "out" && isAddressEqual(entry.to, to));
  const isContact = Object.values(contacts).some((address) => isAddressEqual(address, to));
  if (!paidBefore && hubName !== undefined && !isContact) {
    const close = closeNames(hubName, Object.keys(contacts)).map((name) => `@${name}`);
    warnings.push({
      code: "HUB_NAME",
      level: "notice",
      message: `~${hubName} is the chat hub's name for ${to}, not one of your contacts, and you have never paid it before: anyone may register a free name${close.length === 0 ? "" : close.length === 1 ? `; your contact ${close[0]} is another address` : `; your contacts ${close.join(", ")} are other addresses`}`,
    });
  } else if (!paidBefore) {
    warnings.push({ code: "FIRST_PAYMENT", level: "notice", message: `you have never paid ${to} before` });
  }
  return {
    warnings,
    refused: warnings.some((w) => w.level === "refuse"),
    blocking: warnings.some((w) => w.level !== "notice"),
  };
}

/** Has code and answers `decimals()`: an ERC-20 (the configured token and escrow count too). */
async function isTokenContract(client: GramClient, address: Address): Promise<boolean> {
  if (isAddressEqual(address, client.contracts.token) || isAddressEqual(address, client.contracts.escrow)) return true;
  const code = await client.publicClient.getCode({ address });
  if (code === undefined || code === "0x") return false;
  try {
    await client.publicClient.readContract({ address, abi: gramTokenAbi, functionName: "decimals" });
    return true;
  } catch {
    return false;
  }
}
