import { encodeAbiParameters, keccak256 } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { transferWithAuthorizationTypes } from "../../protocol/eip712.ts";
import type { RelayResponse, RelayTransferRequest } from "../../protocol/relay.ts";
import { chainNow, checkNonceAndBalance, checkTimeWindow } from "./check-authorization.ts";
import { checkAmount, checkChain, checkToken } from "./check-request.ts";
import type { RelayerContext } from "./context.ts";
import { RelayError } from "./errors.ts";
import { transferRecordKey } from "./records.ts";
import { relayOnce } from "./relay-once.ts";
import { simulateOrRefuse } from "./simulate.ts";
import { splitSignature, verifySigner } from "./verify-signature.ts";

/** The protocol id of a transfer: keccak256(abi.encode(from, nonce)). */
export const transferId = (from: RelayTransferRequest["from"], nonce: RelayTransferRequest["nonce"]) =>
  keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [from, nonce]));

/**
 * Relays an ERC-3009 `transferWithAuthorization` signed by `request.from`, paying its gas. Before any
 * gas is spent it checks, in order: the chain, the token, the amount (not zero, not below the
 * minimum), the signature (ECDSA, or ERC-1271 within its gas when `from` has code), the payer's rate
 * limit, the time window, the nonce, the balance, and a simulation of the exact call within the
 * route's gas ceiling.
 *
 * @example
 * const { txHash } = await relayTransfer(ctx, relayTransferRequestSchema.parse(body));
 */
export async function relayTransfer(ctx: RelayerContext, request: RelayTransferRequest): Promise<RelayResponse> {
  const { token, from, to, value, validAfter, validBefore, nonce, signature } = request;
  checkChain(ctx, request.chainId);
  checkToken(ctx, token);
  checkAmount(ctx, token, value);
  const id = transferId(from, nonce);
  return relayOnce(ctx, {
    kind: "transfer",
    key: transferRecordKey(token, id),
    id,
    payer: from,
    request,
    taken: () =>
      new RelayError(
        "NONCE_USED",
        `${from} has already used the authorization nonce ${nonce}: this relayer relayed another authorization with it`,
      ),
    verify: async () =>
      verifySigner(ctx, {
        signer: from,
        typedData: {
          domain: await ctx.tokenDomain(token),
          types: transferWithAuthorizationTypes,
          primaryType: "TransferWithAuthorization",
          message: { from, to, value, validAfter, validBefore, nonce },
        },
        signature,
        what: "the authorization",
      }),
    async prepare(signer) {
      checkTimeWindow(ctx, await chainNow(ctx), request);
      await checkNonceAndBalance(ctx, { token, from, nonce, value });
      // The v, r, s form spares an EOA's payment the signer's code lookup; other signatures go as bytes.
      const vrs = splitSignature(signature);
      const args = vrs
        ? [from, to, value, validAfter, validBefore, nonce, vrs.v, vrs.r, vrs.s]
        : [from, to, value, validAfter, validBefore, nonce, signature];
      const call = await simulateOrRefuse(ctx, {
        address: token,
        abi: gramTokenAbi,
        functionName: "transferWithAuthorization",
        args,
        maxGas: ctx.limits.maxGas.transfer + (signer === "contract" ? ctx.limits.contractSignerGas : 0n),
        route: signer === "contract" ? "a transfer signed by a contract" : "a transfer",
      });
      return { to: token, ...call };
    },
  });
}
