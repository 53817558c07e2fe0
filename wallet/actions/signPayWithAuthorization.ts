import type { Hex } from "viem";
import { gramTokenDomain, receiveWithAuthorizationTypes } from "../../protocol/eip712.ts";
import type { Invoice } from "../../protocol/invoice.ts";
import type { RelayPayRequestJson } from "../../protocol/relay.ts";
import { RejectedError } from "../errors.ts";
import { invoiceToJson, type StoredInvoice } from "../invoices/stored-invoices.ts";
import { describeTypedData } from "../summary/describeTypedData.ts";
import type { TransactionSummary } from "../summary/types.ts";
import { type GramClient, requireAccount } from "./client.ts";
import { chainNow } from "./internal/chainNow.ts";
import { checkPayable, savePayerInvoice } from "./internal/checkPayable.ts";
import type { Confirm } from "./internal/submitTransaction.ts";
import { ensureBalance } from "./sendTransfer.ts";

export interface SignPayWithAuthorizationParameters {
  invoice: Invoice;
  merchantSignature: Hex;
  /** In whole tokens. @default "0" */
  tip?: string | undefined;
  /** How long the relayer may submit it; never past the invoice's payBefore. @default 3600 */
  validForSeconds?: number | undefined;
  metadata?: StoredInvoice["metadata"];
  confirm?: Confirm | undefined;
}

export interface SignPayWithAuthorizationReturnType {
  /** The body of `POST /v1/relay/pay`. */
  request: RelayPayRequestJson;
  id: Hex;
  summary: TransactionSummary;
}

/**
 * Payer, gasless: signs an ERC-3009 `ReceiveWithAuthorization` of amount + tip to the escrow whose nonce
 * is the invoice id, so that it can pay this invoice and nothing else, and builds the relayer's request.
 * Hand it to `relayPay` (wallet/node/).
 *
 * @example
 * const { request } = await signPayWithAuthorization(client, { invoice, merchantSignature, tip: "1" });
 * await relayPay(node, { request });
 */
export async function signPayWithAuthorization(
  client: GramClient,
  {
    invoice,
    merchantSignature,
    tip = "0",
    validForSeconds = 3600,
    metadata,
    confirm,
  }: SignPayWithAuthorizationParameters,
): Promise<SignPayWithAuthorizationReturnType> {
  const account = requireAccount(client);
  const escrow = client.contracts.escrow;
  const checked = await checkPayable(client, { invoice, merchantSignature, payer: account.address, tip });
  const total = invoice.amount + checked.tip;
  await ensureBalance(client, { owner: account.address, token: checked.token, units: total });
  const validBefore = BigInt(Math.min(invoice.payBefore, (await chainNow(client)) + validForSeconds));
  const typedData = {
    domain: gramTokenDomain(client.chainId, invoice.token),
    types: receiveWithAuthorizationTypes,
    primaryType: "ReceiveWithAuthorization" as const,
    message: { from: account.address, to: escrow, value: total, validAfter: 0n, validBefore, nonce: checked.id },
  };
  const summary = await describeTypedData(client, { typedData, signer: account.address, invoice });
  if (confirm && !(await confirm(summary))) throw new RejectedError("gasless payment: declined; nothing was signed");
  const signature = await account.signTypedData(typedData);
  await savePayerInvoice(client, { id: checked.id, invoice, merchantSignature, metadata });
  return {
    request: {
      chainId: client.chainId,
      escrow,
      invoice: invoiceToJson(invoice),
      merchantSignature,
      tip: checked.tip.toString(),
      payer: account.address,
      validAfter: "0",
      validBefore: validBefore.toString(),
      signature,
    },
    id: checked.id,
    summary,
  };
}
