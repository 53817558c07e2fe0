import { type Address, getAddress, type Hex, isHex, keccak256, stringToHex, zeroAddress } from "viem";
import { merchantEscrowAbi } from "../../protocol/abis.ts";
import { escrowDomain, invoiceTypes } from "../../protocol/eip712.ts";
import { type Invoice, invoiceId } from "../../protocol/invoice.ts";
import { LinkError } from "../../protocol/links/errors.ts";
import { type InvoiceMetadata, metadataHash } from "../../protocol/links/metadata.ts";
import { type GramClient, requireAccount } from "../actions/client.ts";
import { parseTokenAmount } from "../actions/internal/amount.ts";
import { chainNow } from "../actions/internal/chainNow.ts";
import type { Confirm } from "../actions/internal/submitTransaction.ts";
import { parseAddress } from "../address.ts";
import { resolveRecipient } from "../contacts/resolveRecipient.ts";
import { InvalidAmountError, InvoiceInputError, RejectedError } from "../errors.ts";
import { describeTypedData } from "../summary/describeTypedData.ts";
import type { TransactionSummary } from "../summary/types.ts";
import { allocateInvoiceNonce } from "./allocateInvoiceNonce.ts";
import type { StoredInvoice } from "./stored-invoices.ts";

const DAY = 86_400;

export interface CreateInvoiceParameters {
  title: string;
  /** Lines of the invoice; quantities and prices as decimal strings, prices in whole tokens. */
  items?: InvoiceMetadata["items"] | undefined;
  memo?: string | undefined;
  /** What is held in escrow, in whole tokens: "12.5". */
  amount: string;
  /** @default the configured GramToken */
  token?: Address | undefined;
  /** The largest tip the payer may add, in whole tokens. @default "0" */
  maxTip?: string | undefined;
  /** Share of each capture paid back to the payer, in basis points (250 = 2.5%). @default 0 */
  cashbackBps?: number | undefined;
  /** The only account that may pay; leave out for whoever pays first (a QR code at a counter). */
  payer?: string | undefined;
  /** Unix seconds. @default now + 1 day */
  payBefore?: number | undefined;
  /** Unix seconds; from then on the payer may reclaim what was not captured. @default payBefore + 7 days */
  captureBefore?: number | undefined;
  /** Unix seconds. @default captureBefore + 30 days */
  refundBefore?: number | undefined;
  /** The chat or order reference: 32 bytes as 0x-hex, or any text (its keccak256 is used). */
  ref?: string | undefined;
  confirm?: Confirm | undefined;
}

export type CreateInvoiceReturnType = StoredInvoice & { file: string; summary: TransactionSummary };

/**
 * Builds an invoice from what a merchant types, numbers it with the merchant's next invoice number,
 * signs it (EIP-712 under the escrow's domain) and keeps it in `$GRAM_HOME/invoices/<id>.json`. The
 * `metadataHash` commits to the title, items and memo in the canonical encoding of
 * `protocol/links/metadata.ts`, the one a payer's wallet checks the link's metadata against.
 *
 * @example
 * const { id, invoice, merchantSignature } = await createInvoice(client, {
 *   title: "Margherita", items: [{ name: "Margherita", quantity: "1", price: "12.5" }],
 *   amount: "12.5", maxTip: "3", payer: "@alice", ref: "chat:alice-shop/order-7",
 * });
 */
export async function createInvoice(
  client: GramClient,
  parameters: CreateInvoiceParameters,
): Promise<CreateInvoiceReturnType> {
  const account = requireAccount(client);
  const { token = client.contracts.token, cashbackBps = 0, confirm } = parameters;
  const { units: amount, token: info } = await parseTokenAmount(client, {
    text: parameters.amount,
    token,
    what: "amount",
  });
  if (amount === 0n)
    throw new InvalidAmountError("amount: an invoice of 0 asks for nothing; expected more than 0", { reason: "zero" });
  const { units: maxTip } = await parseTokenAmount(client, { text: parameters.maxTip ?? "0", token, what: "max tip" });
  if (!Number.isInteger(cashbackBps) || cashbackBps < 0 || cashbackBps > 10_000) {
    throw new InvoiceInputError(`cashback ${cashbackBps} bps is out of range; expected an integer 0..10000 (100%)`);
  }
  const metadata: InvoiceMetadata = {
    title: parameters.title,
    items: parameters.items ?? [],
    ...(parameters.memo === undefined ? {} : { memo: parameters.memo }),
  };
  let hash: Hex;
  try {
    hash = metadataHash(metadata);
  } catch (error) {
    if (error instanceof LinkError) throw new InvoiceInputError(error.shortMessage, { cause: error });
    throw error;
  }
  const now = await chainNow(client);
  const payBefore = parameters.payBefore ?? now + DAY;
  const captureBefore = parameters.captureBefore ?? payBefore + 7 * DAY;
  const refundBefore = parameters.refundBefore ?? captureBefore + 30 * DAY;
  if (payBefore <= now) throw new InvoiceInputError(`payBefore ${payBefore} is not in the future (now ${now})`);
  if (!(payBefore <= captureBefore && captureBefore <= refundBefore) || refundBefore >= 2 ** 40) {
    throw new InvoiceInputError(
      `deadlines out of order: expected payBefore (${payBefore}) ≤ captureBefore (${captureBefore}) ≤ refundBefore (${refundBefore})`,
    );
  }
  const payer = await resolvePayer(client, parameters.payer);
  const escrow = client.contracts.escrow;

  const nonce = await allocateInvoiceNonce({
    store: client.stores.invoices,
    chainId: client.chainId,
    escrow,
    merchant: account.address,
    isUsed: (n) =>
      client.publicClient.readContract({
        address: escrow,
        abi: merchantEscrowAbi,
        functionName: "isInvoiceUsed",
        args: [account.address, n],
      }),
  });
  const invoice: Invoice = {
    merchant: account.address,
    token: info.address,
    amount,
    maxTip,
    cashbackBps,
    payer,
    nonce,
    payBefore,
    captureBefore,
    refundBefore,
    ref: refOf(parameters.ref),
    metadataHash: hash,
  };
  const typedData = {
    domain: escrowDomain(client.chainId, escrow),
    types: invoiceTypes,
    primaryType: "Invoice" as const,
    message: { ...invoice },
  };
  const summary = await describeTypedData(client, { typedData, signer: account.address });
  // A declined invoice leaves its number unused: numbers are cheap to skip, a reused one is not.
  if (confirm && !(await confirm(summary))) throw new RejectedError("invoice: declined; nothing was signed");
  const merchantSignature = await account.signTypedData(typedData);
  const stored: StoredInvoice = {
    id: invoiceId({ chainId: client.chainId, escrow, invoice }),
    chainId: client.chainId,
    escrow,
    invoice,
    merchantSignature,
    metadata,
    role: "merchant",
    createdAt: new Date().toISOString(),
  };
  const file = await client.stores.invoices.save(stored);
  return { ...stored, file, summary };
}

async function resolvePayer(client: GramClient, payer: string | undefined): Promise<Address> {
  if (payer === undefined) return zeroAddress;
  if (payer.startsWith("@"))
    return (await resolveRecipient({ contacts: client.stores.contacts, recipient: payer })).address;
  return getAddress(parseAddress(payer, "payer"));
}

function refOf(ref: string | undefined): Hex {
  if (ref === undefined || ref === "") return `0x${"0".repeat(64)}`;
  if (isHex(ref, { strict: true }) && ref.length === 66) return ref.toLowerCase() as Hex;
  return keccak256(stringToHex(ref));
}
