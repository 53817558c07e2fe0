import { type Address, getAddress, isAddressEqual, type TypedDataDomain, zeroAddress } from "viem";
import {
  cancelAuthorizationTypes,
  invoiceTypes,
  permitTypes,
  receiveWithAuthorizationTypes,
  transferWithAuthorizationTypes,
} from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import type { GramClient } from "../actions/client.ts";
import { readTokenInfo } from "../actions/readTokenInfo.ts";
import { amountOf, knownContractOf, UnknownTransactionError } from "./describeTransaction.ts";
import type { TransactionSummary } from "./types.ts";

/** EIP-712 typed data as it is handed to `signTypedData`. */
export interface TypedDataToSign {
  domain: TypedDataDomain;
  types: Record<string, readonly { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

export interface DescribeTypedDataParameters {
  typedData: TypedDataToSign;
  signer: Address;
  /** For a `ReceiveWithAuthorization` that pays an invoice: the invoice, checked against the nonce. */
  invoice?: Invoice | undefined;
}

export type DescribeTypedDataReturnType = TransactionSummary;

const known = {
  TransferWithAuthorization: transferWithAuthorizationTypes.TransferWithAuthorization,
  ReceiveWithAuthorization: receiveWithAuthorizationTypes.ReceiveWithAuthorization,
  CancelAuthorization: cancelAuthorizationTypes.CancelAuthorization,
  Permit: permitTypes.Permit,
  Invoice: invoiceTypes.Invoice,
} as const;

/**
 * Decodes EIP-712 typed data about to be signed into the summary the user is shown. Only the protocol's
 * own structs, field for field, are described: a struct that merely shares a name is refused.
 *
 * @example
 * const summary = await describeTypedData(client, { typedData, signer: account.address });
 */
export async function describeTypedData(
  client: GramClient,
  { typedData, signer, invoice }: DescribeTypedDataParameters,
): Promise<DescribeTypedDataReturnType> {
  const { domain, types, primaryType, message } = typedData;
  const expected = known[primaryType as keyof typeof known];
  if (expected === undefined || JSON.stringify(types[primaryType]) !== JSON.stringify(expected)) {
    throw new UnknownTransactionError(`the wallet does not sign '${primaryType}' typed data`, {
      details: "only ERC-3009 authorizations, EIP-2612 permits and Gram invoices, with the protocol's fields",
    });
  }
  if (domain.chainId === undefined || domain.verifyingContract === undefined) {
    throw new UnknownTransactionError("typed data without a chain id and verifying contract is not signed");
  }
  const contract = getAddress(domain.verifyingContract);
  const chainId = Number(domain.chainId);
  const address = (key: string) => getAddress(message[key] as Address);
  const uint = (key: string) => BigInt(message[key] as bigint);
  const base: TransactionSummary = {
    kind: "signature",
    action: "permit",
    chainId,
    chainName: chainId === client.chainId ? client.publicClient.chain?.name : undefined,
    from: getAddress(signer),
    contract,
    knownContract: knownContractOf(client, contract),
    recipient: undefined,
    token: undefined,
    amount: undefined,
    tip: undefined,
    invoiceId: undefined,
    fee: undefined,
    expiry: undefined,
    nonce: undefined,
    notes: [],
  };

  switch (primaryType) {
    case "TransferWithAuthorization": {
      const token = await readTokenInfo(client, { token: contract });
      return {
        ...base,
        action: "gaslessTransfer",
        recipient: address("to"),
        token,
        amount: amountOf(uint("value"), token.decimals),
        expiry: Number(uint("validBefore")),
        notes: ["the relayer submits it and pays the gas"],
      };
    }
    case "ReceiveWithAuthorization": {
      const token = await readTokenInfo(client, { token: contract });
      const value = uint("value");
      const summary = {
        ...base,
        action: "payWithAuthorization" as const,
        recipient: address("to"),
        token,
        amount: amountOf(value, token.decimals),
        expiry: Number(uint("validBefore")),
      };
      if (invoice === undefined) return summary;
      const id = invoiceId({ chainId, escrow: address("to"), invoice });
      if (
        id !== String(message.nonce).toLowerCase() ||
        value < invoice.amount ||
        !isAddressEqual(invoice.token, contract)
      ) {
        throw new UnknownTransactionError("the authorization does not pay the invoice it came with", {
          details: `nonce ${String(message.nonce)}, invoice id ${id}`,
        });
      }
      return {
        ...summary,
        recipient: getAddress(invoice.merchant),
        amount: amountOf(invoice.amount, token.decimals),
        tip: amountOf(value - invoice.amount, token.decimals),
        invoiceId: id,
        expiry: Math.min(invoice.payBefore, Number(uint("validBefore"))),
        notes: [`the escrow at ${address("to")} holds the amount; the relayer pays the gas`],
      };
    }
    case "Permit": {
      const token = await readTokenInfo(client, { token: contract });
      return {
        ...base,
        action: "permit",
        recipient: address("spender"),
        token,
        amount: amountOf(uint("value"), token.decimals),
        expiry: Number(uint("deadline")),
        notes: ["lets the spender take up to the amount from your balance"],
      };
    }
    case "CancelAuthorization":
      return { ...base, action: "cancelAuthorization", notes: [`authorization nonce ${String(message.nonce)}`] };
    default: {
      const signed = message as unknown as Invoice;
      const token = await readTokenInfo(client, { token: signed.token });
      return {
        ...base,
        action: "signInvoice",
        recipient: getAddress(signed.merchant),
        token,
        amount: amountOf(signed.amount, token.decimals),
        tip: amountOf(signed.maxTip, token.decimals),
        invoiceId: invoiceId({ chainId, escrow: contract, invoice: signed }),
        expiry: signed.payBefore,
        notes: [
          "tip: the most the payer may add",
          ...(signed.cashbackBps > 0
            ? [`cashback: ${signed.cashbackBps / 100}% of every capture goes back to the payer`]
            : []),
          signed.payer === zeroAddress ? "payer: whoever pays first" : `payer: only ${getAddress(signed.payer)}`,
        ],
      };
    }
  }
}
