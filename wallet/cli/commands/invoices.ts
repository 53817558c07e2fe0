// invoice create | list | show: a merchant's signed invoices, as gram: links and QR codes.

import { formatAmount } from "../../../protocol/amounts.ts";
import { encodeInvoiceLink } from "../../../protocol/links/invoice-link.ts";
import type { InvoiceMetadata } from "../../../protocol/links/metadata.ts";
import type { GramClient } from "../../actions/client.ts";
import { chainNow } from "../../actions/internal/chainNow.ts";
import { readTokenInfo } from "../../actions/readTokenInfo.ts";
import { createInvoice } from "../../invoices/createInvoice.ts";
import { invoiceToJson, type StoredInvoice } from "../../invoices/invoice-store.ts";
import { listInvoices } from "../../invoices/listInvoices.ts";
import type { InvoiceState } from "../../invoices/readInvoiceState.ts";
import { showInvoice } from "../../invoices/showInvoice.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { confirmer, connect, selectAccount, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseBps, parseDuration } from "../option-values.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { time } from "../render.ts";
import { shareLink } from "../share-link.ts";

export interface CreateOptions {
  title: string;
  item?: string[];
  memo?: string;
  maxTip?: string;
  cashback?: string;
  payer?: string;
  expires?: string;
  captureWithin?: string;
  refundWithin?: string;
  ref?: string;
  png?: string;
  svg?: string;
}

export async function create(cli: Cli, amount: string, options: CreateOptions): Promise<CommandResult> {
  const account = await selectAccount(cli);
  const items = (options.item ?? []).map(parseItem);
  const cashbackBps = options.cashback === undefined ? 0 : parseBps(options.cashback);
  const durations = {
    pay: options.expires === undefined ? undefined : parseDuration(options.expires, "--expires"),
    capture: options.captureWithin === undefined ? undefined : parseDuration(options.captureWithin, "--capture-within"),
    refund: options.refundWithin === undefined ? undefined : parseDuration(options.refundWithin, "--refund-within"),
  };
  const { client } = await connect(cli);
  const now = await chainNow(client);
  const payBefore = durations.pay === undefined ? undefined : now + durations.pay;
  const captureBefore = durations.capture === undefined ? undefined : (payBefore ?? now + 86_400) + durations.capture;
  const refundBefore =
    durations.refund === undefined
      ? undefined
      : (captureBefore ?? (payBefore ?? now + 86_400) + 7 * 86_400) + durations.refund;
  useAccount(client, await unlock(cli, account));
  const shown: TransactionSummary[] = [];
  const created = await createInvoice(client, {
    title: options.title,
    items,
    amount,
    ...(options.memo === undefined ? {} : { memo: options.memo }),
    ...(options.maxTip === undefined ? {} : { maxTip: options.maxTip }),
    cashbackBps,
    ...(options.payer === undefined ? {} : { payer: options.payer }),
    ...(payBefore === undefined ? {} : { payBefore }),
    ...(captureBefore === undefined ? {} : { captureBefore }),
    ...(refundBefore === undefined ? {} : { refundBefore }),
    ...(options.ref === undefined ? {} : { ref: options.ref }),
    confirm: confirmer(cli, shown),
  });
  const link = linkOf(created);
  const { files, lines } = await shareLink(cli, link, options);
  const token = await readTokenInfo(client, { token: created.invoice.token });
  const text = [
    `invoice ${created.id}`,
    `  ${options.title}: ${formatAmount(created.invoice.amount, token.decimals)} ${token.symbol}, pay before ${time(created.invoice.payBefore)}`,
    ...lines,
  ];
  return result(
    {
      id: created.id,
      link,
      file: created.file,
      invoice: invoiceToJson(created.invoice),
      metadata: created.metadata ?? null,
      files,
      summary: created.summary,
    },
    text,
  );
}

export async function list(cli: Cli, options: { role?: string }): Promise<CommandResult> {
  if (options.role !== undefined && options.role !== "merchant" && options.role !== "payer") {
    throw new CliError("INVALID_OPTION", `--role: got '${options.role}', expected merchant or payer`);
  }
  const { client } = await connect(cli);
  const invoices = await listInvoices(client, options.role === undefined ? {} : { role: options.role });
  const rows = await Promise.all(invoices.map((i) => row(client, i)));
  return result(
    { invoices: rows },
    rows.length === 0
      ? ["no invoices"]
      : rows.map(
          (r) =>
            `${r.id.slice(0, 10)}  ${r.role.padEnd(8)} ${r.status.padEnd(8)} ${r.amount.padStart(12)} ${r.symbol}  ${r.title ?? ""}`,
        ),
  );
}

export async function show(cli: Cli, id: string): Promise<CommandResult> {
  const { client } = await connect(cli);
  const shown = await showInvoice(client, { id });
  const r = await row(client, shown);
  const link = linkOf(shown);
  return result({ ...r, link, invoice: invoiceToJson(shown.invoice), metadata: shown.metadata ?? null }, [
    `invoice   ${r.id}`,
    `title     ${r.title ?? "(no metadata)"}`,
    ...(shown.metadata?.items ?? []).map((i) => `  ${i.quantity} × ${i.name} @ ${i.price}`),
    `status    ${r.status}`,
    `amount    ${r.amount} ${r.symbol} (held ${r.held}, refundable ${r.refundable})`,
    `merchant  ${shown.invoice.merchant}`,
    `pay by    ${time(shown.invoice.payBefore)}; capture by ${time(shown.invoice.captureBefore)}; refund by ${time(shown.invoice.refundBefore)}`,
    "",
    link,
  ]);
}

async function row(client: GramClient, s: StoredInvoice & InvoiceState) {
  const token = await readTokenInfo(client, { token: s.invoice.token });
  return {
    id: s.id,
    role: s.role,
    status: s.status,
    title: s.metadata?.title ?? null,
    amount: formatAmount(s.invoice.amount, token.decimals),
    held: formatAmount(s.held, token.decimals),
    refundable: formatAmount(s.refundable, token.decimals),
    symbol: token.symbol,
    payBefore: s.invoice.payBefore,
    createdAt: s.createdAt,
  };
}

export function linkOf(s: StoredInvoice): string {
  return encodeInvoiceLink({
    chainId: s.chainId,
    escrow: s.escrow,
    invoice: s.invoice,
    signature: s.merchantSignature,
    ...(s.metadata ? { metadata: s.metadata } : {}),
  });
}

/** "name:quantity:price", split at the last two colons (a name may contain one). */
function parseItem(text: string): InvoiceMetadata["items"][number] {
  const match = /^(.+):([^:]+):([^:]+)$/.exec(text);
  if (!match) {
    throw new CliError(
      "INVALID_OPTION",
      `--item: got '${text.slice(0, 60)}', expected name:quantity:price, e.g. 'Margherita:1:12.5'`,
    );
  }
  return { name: match[1] as string, quantity: match[2] as string, price: match[3] as string };
}
