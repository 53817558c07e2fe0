import {
  type Address,
  BaseError,
  encodeFunctionData,
  type Hex,
  HttpRequestError,
  hashTypedData,
  isAddressEqual,
  parseAbi,
  parseSignature,
  recoverTypedDataAddress,
  TimeoutError,
  type TypedData,
  type TypedDataDefinition,
} from "viem";
import type { RelayErrorCode } from "../../protocol/relay.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError, RelayerUnavailableError } from "./errors.ts";

/** Half the secp256k1 order: OpenZeppelin's ECDSA refuses an `s` above it (a malleable signature). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e73_57a4501d_dfe92f46_681b20a0n;

export interface VerifySignerParameters<
  typedData extends TypedData | Record<string, unknown>,
  primaryType extends string,
> {
  signer: Address;
  typedData: TypedDataDefinition<typedData, primaryType>;
  signature: Hex;
  /** What was signed, for the message: "the authorization", "the invoice". */
  what: string;
  /** The code to refuse with; `INVALID_SIGNATURE` unless told. */
  code?: RelayErrorCode;
}

/** What signed: a key (ECDSA), or a contract through ERC-1271, whose check the relayer's gas also pays. */
export type SignerKind = "eoa" | "contract";

const erc1271Abi = parseAbi(["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"]);

/** ERC-1271's answer for a valid signature: `isValidSignature.selector`. */
const MAGIC_VALUE = "0x1626ba7e";

/**
 * Refuses with `INVALID_SIGNATURE` unless `signature` is `signer`'s over `typedData`, as the contracts
 * will check it: an EOA's low-s ECDSA signature, or — when `signer` has code — whatever its ERC-1271
 * `isValidSignature` accepts within the gas a contract signer may use (`limits.contractSignerGas`);
 * one that needs more is refused with `GAS_TOO_HIGH` and the figure, since the relayer would pay it.
 *
 * @example
 * const kind = await verifySigner(ctx, { signer: from, typedData, signature, what: "the authorization" });
 */
export async function verifySigner<
  const typedData extends TypedData | Record<string, unknown>,
  primaryType extends string,
>(
  ctx: RelayerContext,
  { signer, typedData, signature, what, code = "INVALID_SIGNATURE" }: VerifySignerParameters<typedData, primaryType>,
): Promise<SignerKind> {
  let recovered: Address | undefined;
  try {
    recovered = await recoverTypedDataAddress({ ...typedData, signature } as never);
  } catch {
    // Not an ECDSA signature (a contract wallet's own format): only ERC-1271 can accept it.
  }
  if (recovered !== undefined && isAddressEqual(recovered, signer)) {
    if (signature.length === 132 && BigInt(parseSignature(signature).s) > HALF_N) {
      throw new RelayError(code, `${what} has a malleable signature (s in the upper half of the order)`, {
        hint: "sign again: every standard wallet produces low-s signatures",
      });
    }
    return "eoa";
  }
  const bytecode = await ctx.publicClient.getCode({ address: signer });
  if (bytecode !== undefined && bytecode !== "0x") {
    if (await isValidErc1271(ctx, signer, hashTypedData(typedData as never), signature, what)) return "contract";
    throw new RelayError(code, `${what} is not signed by ${signer}: its ERC-1271 check refuses it`);
  }
  throw new RelayError(code, `${what} is not signed by ${signer}`, {
    details: recovered === undefined ? "the signature recovers no address" : `the signature recovers ${recovered}`,
  });
}

/** `v, r, s` for the contracts' `uint8 v, bytes32 r, bytes32 s` parameters, `v` as 27 or 28. */
export function splitSignature(signature: Hex): { v: number; r: Hex; s: Hex } | undefined {
  if (signature.length !== 132) return undefined;
  const { r, s, yParity } = parseSignature(signature);
  return { v: 27 + yParity, r, s };
}

/**
 * Asks `signer`'s `isValidSignature(hash, signature)` with no more gas than a contract signer may use.
 * When that fails, an estimate of the same call tells a refusal from a check too costly to pay for.
 */
async function isValidErc1271(ctx: RelayerContext, signer: Address, hash: Hex, signature: Hex, what: string) {
  const data = encodeFunctionData({ abi: erc1271Abi, functionName: "isValidSignature", args: [hash, signature] });
  const stipend = ctx.limits.contractSignerGas;
  // The call's own cost on top of the check's: a transaction's base cost and its calldata.
  const overhead = 21_000n + 16n * BigInt((data.length - 2) / 2);
  try {
    const { data: answer } = await ctx.publicClient.call({ to: signer, data, gas: stipend + overhead });
    return answer !== undefined && answer.slice(0, 10).toLowerCase() === MAGIC_VALUE;
  } catch (error) {
    if (isTransportFailure(error)) throw unreachable(error);
  }
  let needed: bigint | undefined;
  try {
    needed = (await ctx.publicClient.estimateGas({ to: signer, data })) - overhead;
  } catch (error) {
    if (isTransportFailure(error)) throw unreachable(error);
    // Reverts whatever gas it is given: a refusal. Runs out of any gas: a check no block can hold.
    if (!/out of gas|gas required exceeds|exceeds block gas limit/i.test(messages(error))) return false;
  }
  if (needed !== undefined && needed <= stipend) return false;
  throw new RelayError(
    "GAS_TOO_HIGH",
    `the ERC-1271 check of ${what} by ${signer} takes ${needed === undefined ? "more than a block's" : String(needed)} gas, above the ${stipend} this relayer allows a contract signer`,
    { hint: "nothing was sent and no gas was spent" },
  );
}

const unreachable = (cause: unknown) =>
  new RelayerUnavailableError("the relayer could not check a contract's signature", { cause });

/** Every message and detail down `error`'s causes. */
function messages(error: unknown): string {
  const said: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    said.push(e.message, String((e as { details?: unknown }).details ?? ""));
  }
  return said.join("\n");
}

/** Whether the node was not reached or failed (no answer about the call): the relayer's own trouble. */
function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof BaseError)) return true;
  return (
    error.walk(
      (e) =>
        e instanceof TimeoutError ||
        (e instanceof HttpRequestError && (e.status === undefined || e.status >= 500 || e.status === 429)),
    ) !== null
  );
}
