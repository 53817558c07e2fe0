import {
  type Address,
  type Hex,
  isAddressEqual,
  parseSignature,
  recoverTypedDataAddress,
  type TypedData,
  type TypedDataDefinition,
} from "viem";
import type { RelayErrorCode } from "../../protocol/relay.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";

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

/**
 * Refuses with `INVALID_SIGNATURE` unless `signature` is `signer`'s over `typedData`, as the contracts
 * will check it: an EOA's low-s ECDSA signature, or — when `signer` has code — whatever its ERC-1271
 * `isValidSignature` accepts.
 *
 * @example
 * await verifySigner(ctx, { signer: from, typedData, signature, what: "the authorization" });
 */
export async function verifySigner<
  const typedData extends TypedData | Record<string, unknown>,
  primaryType extends string,
>(
  ctx: RelayerContext,
  { signer, typedData, signature, what, code = "INVALID_SIGNATURE" }: VerifySignerParameters<typedData, primaryType>,
) {
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
    return;
  }
  const bytecode = await ctx.publicClient.getCode({ address: signer });
  if (bytecode !== undefined && bytecode !== "0x") {
    const valid = await ctx.publicClient.verifyTypedData({ ...typedData, address: signer, signature } as never);
    if (valid) return;
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
