import { type Address, encodeFunctionData, getAddress, type Hex } from "viem";
import { gramTokenAbi } from "../../protocol/abis.ts";
import { cancelAuthorizationTypes, gramTokenDomain } from "../../protocol/eip712.ts";
import { AuthorizationUsedError, ChainError } from "../errors.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { type Confirm, type SentTransaction, submitTransaction } from "./internal/submitTransaction.ts";

export interface CancelAuthorizationParameters {
  /** The ERC-3009 nonce of the authorization (for a gasless invoice payment, the invoice id). */
  nonce: Hex;
  /** @default the configured GramToken */
  token?: Address | undefined;
  confirm?: Confirm | undefined;
}

export type CancelAuthorizationReturnType = SentTransaction & { token: Address };

/**
 * Makes a signed but unused ERC-3009 authorization of this account unusable: signs the token's
 * `CancelAuthorization` and submits `cancelAuthorization` itself, paying the gas (the relayer offers no
 * cancel route). For an authorization that a relayer holds but has not sent, or sent to nowhere. Refused
 * (`AUTHORIZATION_USED`) when the token already marks the nonce as used or canceled.
 *
 * @example
 * const { hash } = await cancelAuthorization(client, { nonce: error.nonce, confirm: ask });
 */
export async function cancelAuthorization(
  client: GramClient,
  { nonce, token = client.contracts.token, confirm }: CancelAuthorizationParameters,
): Promise<CancelAuthorizationReturnType> {
  const account = requireAccount(client);
  let used: boolean;
  try {
    used = await client.publicClient.readContract({
      address: token,
      abi: gramTokenAbi,
      functionName: "authorizationState",
      args: [account.address, nonce],
    });
  } catch (cause) {
    throw new ChainError(`could not read the state of authorization ${nonce} on ${getAddress(token)}`, { cause });
  }
  if (used) {
    throw new AuthorizationUsedError(
      `authorization ${nonce} of ${account.address} is already used or canceled on ${getAddress(token)}: nothing to cancel`,
      { hint: "`gram history` shows whether a transaction used it" },
    );
  }
  // The cancellation travels inside the transaction's calldata, so the summary of that transaction shows it.
  const signature = await account.signTypedData({
    domain: gramTokenDomain(client.chainId, token),
    types: cancelAuthorizationTypes,
    primaryType: "CancelAuthorization",
    message: { authorizer: account.address, nonce },
  });
  const data = encodeFunctionData({
    abi: gramTokenAbi,
    functionName: "cancelAuthorization",
    args: [account.address, nonce, signature],
  });
  const sent = await submitTransaction(client, { to: token, data }, { confirm, what: "cancel authorization" });
  return { ...sent, token: getAddress(token) };
}
