import { type Address, bytesToHex } from "viem";
import { gramTokenDomain, transferWithAuthorizationTypes } from "../../protocol/eip712.ts";
import { type RelayTransferRequestJson, relayTransferRequestJson } from "../../protocol/relay.ts";
import { resolveRecipient } from "../contacts/resolveRecipient.ts";
import { InvalidAmountError, RejectedError } from "../errors.ts";
import { describeTypedData } from "../summary/describeTypedData.ts";
import type { TransactionSummary } from "../summary/types.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { parseTokenAmount } from "./internal/amount.ts";
import { chainNow } from "./internal/chainNow.ts";
import type { Confirm } from "./internal/submitTransaction.ts";
import { ensureBalance } from "./sendTransfer.ts";

export interface SignGaslessTransferParameters {
  /** `@name` or an address. */
  to: string;
  /** In whole tokens: "12.5". */
  amount: string;
  /** @default the configured GramToken (it must implement ERC-3009) */
  token?: Address | undefined;
  /** How long the relayer may submit it. @default 3600 */
  validForSeconds?: number | undefined;
  confirm?: Confirm | undefined;
}

export interface SignGaslessTransferReturnType {
  /** The body of `POST /v1/relay/transfer`. */
  request: RelayTransferRequestJson;
  summary: TransactionSummary;
}

/**
 * Signs an ERC-3009 `TransferWithAuthorization` for the node's relayer to submit (it pays the gas): a
 * random bytes32 nonce, valid from now for `validForSeconds`. Nothing is sent; hand the request to
 * `relayTransfer` (wallet/node/).
 *
 * @example
 * const { request } = await signGaslessTransfer(client, { to: "@bob", amount: "5" });
 * const { txHash } = await relayTransfer(node, { request });
 */
export async function signGaslessTransfer(
  client: GramClient,
  { to, amount, token = client.contracts.token, validForSeconds = 3600, confirm }: SignGaslessTransferParameters,
): Promise<SignGaslessTransferReturnType> {
  const account = requireAccount(client);
  const { address: recipient } = await resolveRecipient({ contacts: client.stores.contacts, recipient: to });
  const { units, token: info } = await parseTokenAmount(client, { text: amount, token, what: "amount" });
  if (units === 0n) throw new InvalidAmountError("amount: 0 sends nothing; expected more than 0", { reason: "zero" });
  await ensureBalance(client, { owner: account.address, token: info, units });
  const message = {
    from: account.address,
    to: recipient,
    value: units,
    validAfter: 0n,
    validBefore: BigInt((await chainNow(client)) + validForSeconds),
    nonce: bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32))),
  };
  const typedData = {
    domain: gramTokenDomain(client.chainId, info.address),
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization" as const,
    message,
  };
  const summary = await describeTypedData(client, { typedData, signer: account.address });
  if (confirm && !(await confirm(summary))) throw new RejectedError("gasless transfer: declined; nothing was signed");
  const signature = await account.signTypedData(typedData);
  return {
    request: relayTransferRequestJson({ chainId: client.chainId, token: info.address, message, signature }),
    summary,
  };
}
