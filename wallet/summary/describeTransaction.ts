import {
  type Address,
  decodeFunctionData,
  getAddress,
  type Hex,
  isAddressEqual,
  parseTransaction,
  zeroAddress,
} from "viem";
import { gramTokenAbi, merchantEscrowAbi } from "../../protocol/abis.ts";
import { formatAmount } from "../../protocol/amounts.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import type { GramClient } from "../actions/client.ts";
import { readTokenInfo } from "../actions/readTokenInfo.ts";
import { WalletError } from "../errors.ts";
import type { SummaryAction, SummaryAmount, SummaryToken, TransactionSummary } from "./types.ts";

/** The fields of an EIP-1559 transaction that its signature covers (the nonce aside). */
export interface TransactionFields {
  chainId: number;
  to: Address;
  data: Hex;
  value: bigint;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  nonce?: number | undefined;
}

export interface DescribeTransactionParameters {
  /** The transaction's fields, or its serialized bytes (signed or not). */
  transaction: TransactionFields | Hex;
  from: Address;
  /** Set on replacements, so that the summary says which nonce it takes over. */
  replacesNonce?: number | undefined;
}

export type DescribeTransactionReturnType = TransactionSummary;

/** Calldata this wallet does not know how to describe: it refuses to sign what it cannot show. */
export class UnknownTransactionError extends WalletError {
  override name = "UnknownTransactionError";
  readonly code = "UNKNOWN_TRANSACTION";
}

/**
 * Decodes a transaction from the bytes to be signed into what the user is shown: the action, who gets
 * the funds, the token and amount with the token's decimals, the chain, the most it can cost and when it
 * expires. Amounts the calldata does not carry (confirm, void, reclaim, dispute move what is held) are
 * read from the escrow and noted as such.
 *
 * @example
 * const summary = await describeTransaction(client, { transaction: serialized, from: account.address });
 */
export async function describeTransaction(
  client: GramClient,
  { transaction, from, replacesNonce }: DescribeTransactionParameters,
): Promise<DescribeTransactionReturnType> {
  const tx = typeof transaction === "string" ? fieldsOf(transaction) : transaction;
  const to = getAddress(tx.to);
  const nativeSymbol = client.publicClient.chain?.nativeCurrency.symbol ?? "ETH";
  const base: TransactionSummary = {
    kind: "transaction",
    action: "nativeTransfer",
    chainId: tx.chainId,
    chainName: client.publicClient.chain?.name,
    from: getAddress(from),
    contract: to,
    knownContract: knownContractOf(client, to),
    recipient: undefined,
    token: undefined,
    amount: undefined,
    tip: undefined,
    invoiceId: undefined,
    fee: {
      gas: tx.gas,
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      max: amountOf(tx.gas * tx.maxFeePerGas, 18),
      symbol: nativeSymbol,
    },
    expiry: undefined,
    nonce: replacesNonce,
    notes: [],
  };

  if (tx.data === "0x") {
    const cancel = isAddressEqual(to, from) && tx.value === 0n;
    return {
      ...base,
      action: cancel ? "cancel" : "nativeTransfer",
      contract: to,
      knownContract: undefined,
      recipient: to,
      amount: amountOf(tx.value, 18),
      notes: cancel ? ["a 0-value transaction to yourself: it only takes over the nonce"] : [],
    };
  }
  if (tx.value !== 0n) {
    throw new UnknownTransactionError("the transaction sends native currency along with a contract call", {
      details: `to ${to}, value ${tx.value}`,
    });
  }
  const call = decode(tx.data, base.knownContract === "escrow");
  if (call === undefined) {
    throw new UnknownTransactionError(`cannot describe the call to ${to} (selector ${tx.data.slice(0, 10)})`, {
      hint: "the wallet signs only transfers and Gram escrow calls it can show",
    });
  }

  const token = (address: Address) => readTokenInfo(client, { token: address });
  const withToken = async (address: Address, units: bigint, extra: Partial<TransactionSummary> = {}) => {
    const info = await token(address);
    return { ...base, token: info, amount: amountOf(units, info.decimals), ...extra };
  };

  if (call.abi === "token") {
    const args = call.args;
    switch (call.functionName) {
      case "transfer":
        return withToken(to, args[1] as bigint, { action: "transfer", recipient: getAddress(args[0] as Address) });
      case "approve":
        return withToken(to, args[1] as bigint, { action: "approve", recipient: getAddress(args[0] as Address) });
      case "transferWithAuthorization":
        return withToken(to, args[2] as bigint, {
          action: "gaslessTransfer",
          recipient: getAddress(args[1] as Address),
          expiry: Number(args[4] as bigint),
          notes: [`submits ${getAddress(args[0] as Address)}'s signed authorization`],
        });
      case "cancelAuthorization":
        return {
          ...base,
          action: "cancelAuthorization",
          notes: [
            `authorization nonce ${args[1] as Hex} of ${getAddress(args[0] as Address)}`,
            "makes that signed authorization unusable; moves no tokens",
          ],
        };
    }
  } else {
    const args = call.args;
    const invoice = args[0] as Invoice;
    const id = () => invoiceId({ chainId: tx.chainId, escrow: to, invoice });
    const onInvoice = async (action: SummaryAction, units: bigint, extra: Partial<TransactionSummary> = {}) =>
      withToken(invoice.token, units, { action, invoiceId: id(), ...extra });
    const held = async () => (await paymentOf(client, to, id())).held;
    const payer = async () => {
      if (!isAddressEqual(invoice.payer, zeroAddress)) return getAddress(invoice.payer);
      const paidBy = await client.publicClient.readContract({
        address: to,
        abi: merchantEscrowAbi,
        functionName: "openInvoicePayer",
        args: [id()],
      });
      return getAddress(paidBy);
    };
    const heldNote = "amount: what the escrow holds for this invoice now";
    switch (call.functionName) {
      case "pay":
      case "payWithPermit":
      case "payWithAuthorization": {
        const info = await token(invoice.token);
        const deadline =
          call.functionName === "payWithPermit"
            ? Math.min(invoice.payBefore, Number(args[3] as bigint))
            : call.functionName === "payWithAuthorization"
              ? Math.min(invoice.payBefore, Number(args[5] as bigint))
              : invoice.payBefore;
        return {
          ...base,
          action: call.functionName,
          recipient: getAddress(invoice.merchant),
          token: info,
          amount: amountOf(invoice.amount, info.decimals),
          tip: amountOf(args[2] as bigint, info.decimals),
          invoiceId: id(),
          expiry: deadline,
        };
      }
      case "capture":
        return onInvoice("capture", args[1] as bigint, { recipient: getAddress(invoice.merchant) });
      case "refund":
        return onInvoice("refund", args[1] as bigint, { recipient: await payer() });
      case "resolve":
        return onInvoice("resolve", args[1] as bigint, {
          recipient: await payer(),
          notes: ["amount: what goes back to the payer; the rest of what is held goes to the merchant"],
        });
      case "confirm":
        return onInvoice("confirm", await held(), { recipient: getAddress(invoice.merchant), notes: [heldNote] });
      case "void":
        return onInvoice("void", await held(), { recipient: await payer(), notes: [heldNote] });
      case "reclaim":
        return onInvoice("reclaim", await held(), { recipient: getAddress(from), notes: [heldNote] });
      case "dispute":
        return onInvoice("dispute", await held(), { notes: [heldNote] });
      case "withdraw":
        return withToken(getAddress(args[0] as Address), args[1] as bigint, {
          action: "withdraw",
          recipient: getAddress(args[2] as Address),
          notes: ["the escrow keeps its withdrawal fee out of the amount"],
        });
      case "cancelInvoice":
        return { ...base, action: "cancelInvoice", notes: [`invoice number ${args[0] as bigint}`] };
    }
  }
  throw new UnknownTransactionError(`the wallet does not sign ${call.functionName} calls`, {
    details: `to ${to}`,
  });
}

/** Fields of serialized transaction bytes; only EIP-1559 transactions are signed by this wallet. */
function fieldsOf(serialized: Hex): TransactionFields {
  const tx = parseTransaction(serialized);
  if (
    tx.type !== "eip1559" ||
    tx.to == null ||
    tx.chainId === undefined ||
    tx.gas === undefined ||
    tx.maxFeePerGas === undefined ||
    tx.maxPriorityFeePerGas === undefined
  ) {
    throw new UnknownTransactionError("expected a complete EIP-1559 transaction to a contract or account", {
      details: `type ${tx.type}`,
    });
  }
  return {
    chainId: tx.chainId,
    to: tx.to,
    data: tx.data ?? "0x",
    value: tx.value ?? 0n,
    gas: tx.gas,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    nonce: tx.nonce,
  };
}

type Decoded = { abi: "token" | "escrow"; functionName: string; args: readonly unknown[] };

function decode(data: Hex, escrowFirst: boolean): Decoded | undefined {
  const attempts = escrowFirst ? (["escrow", "token"] as const) : (["token", "escrow"] as const);
  for (const abi of attempts) {
    try {
      const { functionName, args } = decodeFunctionData({
        abi: abi === "token" ? gramTokenAbi : merchantEscrowAbi,
        data,
      });
      return { abi, functionName, args: (args ?? []) as readonly unknown[] };
    } catch {}
  }
  return undefined;
}

async function paymentOf(client: GramClient, escrow: Address, id: Hex) {
  return client.publicClient.readContract({
    address: escrow,
    abi: merchantEscrowAbi,
    functionName: "paymentOf",
    args: [id],
  });
}

/** Which of the wallet's Gram contracts `address` is, if any. */
export function knownContractOf(client: GramClient, address: Address): TransactionSummary["knownContract"] {
  if (isAddressEqual(address, client.contracts.token)) return "token";
  if (isAddressEqual(address, client.contracts.escrow)) return "escrow";
  return undefined;
}

export function amountOf(units: bigint, decimals: number): SummaryAmount {
  return { units, formatted: formatAmount(units, decimals) };
}

export type { SummaryToken };
