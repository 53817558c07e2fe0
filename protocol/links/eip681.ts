// EIP-681 payment requests, the links every Ethereum wallet reads: ERC-20 transfers
// `ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<amount>` and native payments
// `ethereum:<to>@<chainId>?value=<amount>`, with an optional `message` (a memo; not in EIP-681, read by
// wallets in the manner of BIP-21). Parsing is strict: anything this wallet would have to guess about is
// refused with the reason.
import { type Address, formatUnits, getAddress, isAddress } from "viem";
import { quote } from "../errors.ts";
import { LinkError } from "./errors.ts";
import { MEMO_MAX_LENGTH } from "./request-link.ts";
import { checkChainId, checkLinkTarget, type LinkTargetOptions } from "./target.ts";
import { checkDisplayText } from "./text.ts";

const UINT256_MAX = 2n ** 256n - 1n;
const NUMBER = /^\+?([0-9]*)(?:\.([0-9]+))?(?:[eE]([0-9]+))?$/;
const PARAMETERS = {
  native: ["value", "gas", "gasLimit", "gasPrice", "message"],
  transfer: ["address", "uint256", "gas", "gasLimit", "gasPrice", "message"],
} as const;

export interface Eip681Request {
  chainId: number;
  /** The ERC-20 contract for a `transfer`; undefined for a payment in the chain's native coin. */
  token?: Address | undefined;
  /** The payee. */
  to: Address;
  /** In base units (wei, or the token's smallest unit); undefined when the link leaves it to the payer. */
  amount?: bigint | undefined;
  memo?: string | undefined;
  gasLimit?: bigint | undefined;
  gasPrice?: bigint | undefined;
}

export interface EncodeEip681Options {
  /**
   * Writes amounts in the scientific notation EIP-681 recommends, with the token's decimals as exponent
   * (`12.5e9` for 12.5 GRAM); without it, amounts are plain integers of base units.
   */
  decimals?: number | undefined;
}

/**
 * Encodes an EIP-681 link: an ERC-20 `transfer` when `token` is set, else a native payment.
 *
 * @example
 * encodeEip681({ chainId: 31337, token: gram, to: bob, amount: 12_500_000_000n }, { decimals: 9 });
 * // "ethereum:0x…@31337/transfer?address=0x…&uint256=12.5e9"
 */
export function encodeEip681(request: Eip681Request, { decimals }: EncodeEip681Options = {}): string {
  const number = (value: bigint, field: string) => {
    if (value < 0n || value > UINT256_MAX) throw new LinkError("INVALID_AMOUNT", `${field}: ${value} is not a uint256`);
    if (decimals === undefined || decimals === 0 || value === 0n) return value.toString();
    return `${formatUnits(value, decimals)}e${decimals}`;
  };
  const to = parseAddress(request.to, "to");
  const chainId = checkChainId(request.chainId);
  const parameters: string[] = [];
  let path: string;
  if (request.token === undefined) {
    path = `${to}@${chainId}`;
    if (request.amount !== undefined) parameters.push(`value=${number(request.amount, "amount")}`);
  } else {
    path = `${parseAddress(request.token, "token")}@${chainId}/transfer`;
    parameters.push(`address=${to}`);
    if (request.amount !== undefined) parameters.push(`uint256=${number(request.amount, "amount")}`);
  }
  if (request.gasLimit !== undefined) parameters.push(`gasLimit=${request.gasLimit.toString()}`);
  if (request.gasPrice !== undefined) parameters.push(`gasPrice=${request.gasPrice.toString()}`);
  if (request.memo !== undefined) {
    parameters.push(`message=${encodeURIComponent(checkDisplayText(request.memo, "message", MEMO_MAX_LENGTH))}`);
  }
  return `ethereum:${path}${parameters.length === 0 ? "" : `?${parameters.join("&")}`}`;
}

/**
 * Parses an EIP-681 payment link. A link without `@chainId` means "the wallet's current chain" (EIP-681), so
 * it needs `options.chainId`; a link for another chain or token than `options` says is refused.
 *
 * @example
 * const { to, amount } = parseEip681("ethereum:0x…@31337/transfer?address=0x…&uint256=12.5e9", { chainId: 31337 });
 */
export function parseEip681(link: string, options: LinkTargetOptions = {}): Eip681Request {
  const text = link.trim();
  if (!/^ethereum:/i.test(text)) {
    throw new LinkError("INVALID_PREFIX", `not an EIP-681 link: expected "ethereum:…", got ${quote(text)}`);
  }
  if (text.includes("#")) throw new LinkError("INVALID_PARAMETER", "EIP-681 link: a fragment (#) is not allowed");
  const rest = text.slice("ethereum:".length).replace(/^pay-/, "");
  const question = rest.indexOf("?");
  const path = question === -1 ? rest : rest.slice(0, question);
  const query = question === -1 ? undefined : rest.slice(question + 1);

  const match = /^([^@/]*)(?:@([^/]*))?(?:\/(.*))?$/.exec(path);
  const [, target = "", chainText, functionName] = match ?? [];
  const targetAddress = parseAddress(target, "target address");
  const chainId = parseLinkChainId(chainText, options.chainId);
  if (functionName !== undefined && functionName !== "transfer") {
    throw new LinkError("UNKNOWN_FUNCTION", `EIP-681 link: unknown function ${quote(functionName)}`, {
      hint: "Gram reads native payments and ERC-20 transfer links only.",
    });
  }
  const kind = functionName === undefined ? "native" : "transfer";
  const parameters = parseQuery(query, PARAMETERS[kind]);
  if (parameters.has("gas") && parameters.has("gasLimit")) {
    throw new LinkError("INVALID_PARAMETER", "EIP-681 link: gas and gasLimit are the same parameter; give one");
  }

  const optionalNumber = (key: string) => {
    const value = parameters.get(key);
    return value === undefined ? undefined : parseNumber(value, key);
  };
  const memo = parameters.get("message");
  const gasLimit = optionalNumber("gasLimit") ?? optionalNumber("gas");
  const gasPrice = optionalNumber("gasPrice");
  let request: Eip681Request;
  if (kind === "native") {
    request = { chainId, to: targetAddress, amount: optionalNumber("value") };
  } else {
    const to = parameters.get("address");
    if (to === undefined) throw new LinkError("INVALID_PARAMETER", "EIP-681 transfer: missing address= (the payee)");
    request = { chainId, token: targetAddress, to: parseAddress(to, "address"), amount: optionalNumber("uint256") };
  }
  if (memo !== undefined) request.memo = checkDisplayText(memo, "message", MEMO_MAX_LENGTH);
  if (gasLimit !== undefined) request.gasLimit = gasLimit;
  if (gasPrice !== undefined) request.gasPrice = gasPrice;
  checkLinkTarget("EIP-681 link", { chainId, token: request.token }, options);
  return request;
}

/** A hex address; mixed case must be a valid EIP-55 checksum. ENS names are refused rather than resolved. */
function parseAddress(value: string, field: string): Address {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    const hint = value.includes(".") ? "ENS names are not resolved: ask for the 0x address." : undefined;
    throw new LinkError("INVALID_ADDRESS", `${field}: ${quote(value)} is not a 0x address of 40 hex digits`, {
      ...(hint === undefined ? {} : { hint }),
    });
  }
  const digits = value.slice(2);
  const uncased = digits === digits.toLowerCase() || digits === digits.toUpperCase();
  if (!uncased && !isAddress(value, { strict: true })) {
    throw new LinkError("INVALID_ADDRESS", `${field}: ${value} fails its EIP-55 checksum`, {
      hint: "A character of the address was changed; ask for the link again.",
    });
  }
  return getAddress(value);
}

function parseLinkChainId(text: string | undefined, walletChainId: number | undefined): number {
  if (text === undefined) {
    if (walletChainId !== undefined) return walletChainId;
    throw new LinkError("MISSING_CHAIN_ID", "EIP-681 link: missing chain id (@<chainId>)", {
      hint: "The link means the current chain: pass the wallet's chain id.",
    });
  }
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new LinkError("INVALID_CHAIN_ID", `EIP-681 link: chain id ${quote(text)} is not a decimal number`);
  }
  return checkChainId(Number(text), "EIP-681 link: chain id");
}

function parseQuery(query: string | undefined, allowed: readonly string[]): Map<string, string> {
  const parameters = new Map<string, string>();
  if (query === undefined) return parameters;
  for (const parameter of query.split("&")) {
    const equals = parameter.indexOf("=");
    if (equals <= 0) throw new LinkError("INVALID_PARAMETER", `EIP-681 link: ${quote(parameter)} is not key=value`);
    const key = parameter.slice(0, equals);
    if (!allowed.includes(key)) {
      throw new LinkError("INVALID_PARAMETER", `EIP-681 link: unknown parameter ${quote(key)}`, {
        hint: `Expected ${allowed.join(", ")}.`,
      });
    }
    if (parameters.has(key)) throw new LinkError("INVALID_PARAMETER", `EIP-681 link: ${key} given twice`);
    let value: string;
    try {
      value = decodeURIComponent(parameter.slice(equals + 1));
    } catch (cause) {
      throw new LinkError("INVALID_PARAMETER", `EIP-681 link: ${key} has malformed percent-encoding`, { cause });
    }
    parameters.set(key, value);
  }
  return parameters;
}

/**
 * An EIP-681 `number` as an exact uint256: digits, an optional fraction and an optional exponent. As EIP-681
 * says, only integers are allowed, so the exponent must be at least the number of digits after the point
 * (`2.014e18` is fine, `2.014e2` is not).
 */
function parseNumber(text: string, field: string): bigint {
  const match = NUMBER.exec(text);
  const [, whole = "", fraction = "", exponentText] = match ?? [];
  if (match === null || whole + fraction === "") {
    throw new LinkError("INVALID_AMOUNT", `${field}=${quote(text)}: expected an integer such as 1000 or 2.014e18`, {
      ...(text.startsWith("-") ? { hint: "Amounts cannot be negative." } : {}),
    });
  }
  const digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return 0n;
  if (exponentText !== undefined && exponentText.length > 4) {
    throw new LinkError("INVALID_AMOUNT", `${field}=${quote(text)}: larger than a uint256`);
  }
  const exponent = Number(exponentText ?? "0");
  if (fraction.length > exponent) {
    throw new LinkError(
      "INVALID_AMOUNT",
      `${field}=${quote(text)} is not an integer: ${fraction.length} digits after the point need an exponent of at least ${fraction.length}`,
    );
  }
  const scale = exponent - fraction.length;
  if (digits.length + scale > 78)
    throw new LinkError("INVALID_AMOUNT", `${field}=${quote(text)}: larger than a uint256`);
  const value = BigInt(digits) * 10n ** BigInt(scale);
  if (value > UINT256_MAX) throw new LinkError("INVALID_AMOUNT", `${field}=${quote(text)}: larger than a uint256`);
  return value;
}
