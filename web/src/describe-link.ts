// What the link screen shows for a pasted link: the link decoded by the protocol (checksum, chain, token,
// escrow and the merchant's signature checked there) and, for an invoice, the wallet's summary of the
// typed data the merchant signed. Amounts are formatted with the token's decimals as the wallet reads
// them (`readTokenInfo`); nothing here decides what is valid.
import type { Address, Hex } from "viem";
import { formatAmount } from "../../protocol/amounts.ts";
import { escrowDomain, invoiceTypes } from "../../protocol/eip712.ts";
import { decodeLink } from "../../protocol/links/decode-link.ts";
import type { InvoiceItem } from "../../protocol/links/metadata.ts";
import { readTokenInfo } from "../../wallet/actions/readTokenInfo.ts";
import { describeTypedData } from "../../wallet/summary/describeTypedData.ts";
import type { Chain } from "./chain.ts";

export interface LinkView {
  kind: "invoice" | "request" | "eip681";
  /** What the user is asked to pay, "12.5 GRAM"; undefined when the link leaves it to the payer. */
  amount: string | undefined;
  /** Who is paid: the merchant or the payee. */
  to: Address;
  token: Address | undefined;
  memo: string | undefined;
  /** Unix seconds: pay before. */
  expiry: number | undefined;
  invoice?: {
    id: Hex;
    title: string | undefined;
    items: InvoiceItem[];
    /** The largest tip, "1 GRAM"; undefined when none is allowed. */
    maxTip: string | undefined;
    cashbackPercent: number;
    /** Only this account may pay; undefined: anyone. */
    payer: Address | undefined;
  };
  warnings: string[];
}

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Decodes `text` against the chain the node serves and describes it; throws the protocol's `LinkError`
 * (tampered, wrong chain, wrong escrow or token, not a link) for the screen to show.
 */
export async function describeLink(text: string, { config, client }: Chain): Promise<LinkView> {
  const decoded = await decodeLink(text, {
    chainId: config.chainId,
    token: client.contracts.token,
    escrow: client.contracts.escrow,
  });
  if (decoded.kind === "invoice") {
    const { invoice, metadata, signatureValid, chainId, escrow } = decoded.invoice;
    const summary = await describeTypedData(client, {
      typedData: {
        domain: escrowDomain(chainId, escrow),
        types: invoiceTypes,
        primaryType: "Invoice",
        message: { ...invoice },
      },
      signer: invoice.merchant,
    });
    const token = summary.token ?? (await readTokenInfo(client, { token: invoice.token }));
    const units = (value: bigint) => `${formatAmount(value, token.decimals)} ${token.symbol}`;
    return {
      kind: "invoice",
      amount: units(invoice.amount),
      to: invoice.merchant,
      token: invoice.token,
      memo: metadata?.memo,
      expiry: summary.expiry ?? invoice.payBefore,
      invoice: {
        id: decoded.invoice.id,
        title: metadata?.title,
        items: metadata?.items ?? [],
        maxTip: invoice.maxTip === 0n ? undefined : units(invoice.maxTip),
        cashbackPercent: invoice.cashbackBps / 100,
        payer: invoice.payer === ZERO ? undefined : invoice.payer,
      },
      warnings: signatureValid
        ? []
        : ["the merchant's signature could not be checked here (a contract wallet?); the escrow checks it"],
    };
  }
  const request = decoded.request;
  const tokenAddress = request.token;
  const token = tokenAddress === undefined ? undefined : await readTokenInfo(client, { token: tokenAddress });
  const amount =
    request.amount === undefined
      ? undefined
      : token === undefined
        ? `${formatAmount(request.amount, 18)} ETH`
        : `${formatAmount(request.amount, token.decimals)} ${token.symbol}`;
  return {
    kind: decoded.kind,
    amount,
    to: request.to,
    token: tokenAddress,
    memo: request.memo,
    expiry: decoded.kind === "request" ? decoded.request.expiry : undefined,
    warnings: [],
  };
}
