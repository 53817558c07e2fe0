// What happens to a paid invoice: the merchant's capture, void, refund and withdraw; the payer's confirm,
// reclaim and dispute; the arbiter's resolve. An invoice is named by its id (or a prefix of at least 6
// hex digits) as kept in $GRAM_HOME/invoices, or by its gram:invoice/ link (an arbiter keeps none).
import type { Address } from "viem";
import { formatAmount } from "../../../protocol/amounts.ts";
import type { Invoice } from "../../../protocol/invoice.ts";
import { decodeInvoiceLink, INVOICE_LINK_PREFIX } from "../../../protocol/links/invoice-link.ts";
import { cancelInvoice } from "../../actions/cancelInvoice.ts";
import { capturePayment } from "../../actions/capturePayment.ts";
import type { GramClient } from "../../actions/client.ts";
import { confirmPayment } from "../../actions/confirmPayment.ts";
import { disputePayment } from "../../actions/disputePayment.ts";
import { parseTokenAmount } from "../../actions/internal/amount.ts";
import type { Confirm, SentTransaction } from "../../actions/internal/submitTransaction.ts";
import { reclaimPayment } from "../../actions/reclaimPayment.ts";
import { refundPayment } from "../../actions/refundPayment.ts";
import { resolveDispute } from "../../actions/resolveDispute.ts";
import { voidPayment } from "../../actions/voidPayment.ts";
import { withdraw as withdrawAction } from "../../actions/withdraw.ts";
import { parseAddress } from "../../address.ts";
import { resolveRecipient } from "../../contacts/resolveRecipient.ts";
import { InvalidAmountError } from "../../errors.ts";
import { readInvoice } from "../../invoices/invoice-store.ts";
import type { TransactionSummary } from "../../summary/types.ts";
import { type Connection, confirmer, connect, selectAccount, unlock, useAccount } from "../context.ts";
import { CliError } from "../errors.ts";
import type { Cli } from "../options.ts";
import { type CommandResult, result } from "../output.ts";
import { labels, waitFor } from "./transfer.ts";

type Action = (client: GramClient, confirm: Confirm) => Promise<SentTransaction>;

/** Checks inputs read-only, then unlocks, shows the summary, asks, sends and waits. */
async function run(
  cli: Cli,
  what: string,
  prepare: (connection: Connection) => Promise<{ action: Action; data?: Record<string, unknown> }>,
): Promise<CommandResult> {
  const account = await selectAccount(cli);
  const connection = await connect(cli);
  const { action, data } = await prepare(connection);
  const client = useAccount(connection.client, await unlock(cli, account));
  const shown: TransactionSummary[] = [];
  const sent = await action(client, confirmer(cli, shown, await labels(cli.home)));
  const receipt = await waitFor(client, sent.hash);
  return result({ action: what, ...data, hash: sent.hash, nonce: sent.nonce, ...receipt, summary: sent.summary }, [
    `${what}: tx ${sent.hash} ${receipt.status} in block ${receipt.blockNumber}`,
  ]);
}

/** An invoice by stored id (prefix) or by its link, for this chain and escrow only. */
export async function invoiceOf(cli: Cli, client: GramClient, ref: string): Promise<{ invoice: Invoice; id: string }> {
  if (ref.startsWith(INVOICE_LINK_PREFIX)) {
    const decoded = await decodeInvoiceLink(ref, {
      chainId: client.chainId,
      escrow: client.contracts.escrow,
      token: client.contracts.token,
    });
    return { invoice: decoded.invoice, id: decoded.id };
  }
  const stored = await readInvoice(cli.home, ref);
  if (stored.chainId !== client.chainId || stored.escrow.toLowerCase() !== client.contracts.escrow.toLowerCase()) {
    throw new CliError("WRONG_CHAIN", `invoice ${stored.id} is for chain ${stored.chainId}, escrow ${stored.escrow}`, {
      hint: "point --rpc and --deployments at that chain",
    });
  }
  return { invoice: stored.invoice, id: stored.id };
}

async function amountOn(client: GramClient, invoice: Invoice, text: string, what: string) {
  const { units, token } = await parseTokenAmount(client, { text, token: invoice.token, what });
  return { units, formatted: formatAmount(units, token.decimals), symbol: token.symbol };
}

export function capture(cli: Cli, ref: string, amount: string) {
  return run(cli, "capture", async ({ client }) => {
    const { invoice, id } = await invoiceOf(cli, client, ref);
    const parsed = await amountOn(client, invoice, amount, "capture amount");
    if (parsed.units === 0n) throw new InvalidAmountError("capture amount: expected more than 0", { reason: "zero" });
    return {
      data: { id, amount: parsed.formatted, symbol: parsed.symbol },
      action: (c, confirm) => capturePayment(c, { invoice, amount, confirm }),
    };
  });
}

export function refund(cli: Cli, ref: string, amount: string) {
  return run(cli, "refund", async ({ client }) => {
    const { invoice, id } = await invoiceOf(cli, client, ref);
    const parsed = await amountOn(client, invoice, amount, "refund amount");
    if (parsed.units === 0n) throw new InvalidAmountError("refund amount: expected more than 0", { reason: "zero" });
    return {
      data: { id, amount: parsed.formatted, symbol: parsed.symbol },
      action: (c, confirm) => refundPayment(c, { invoice, amount, confirm }),
    };
  });
}

export function resolve(cli: Cli, ref: string, toPayer: string) {
  return run(cli, "resolve", async ({ client }) => {
    const { invoice, id } = await invoiceOf(cli, client, ref);
    const parsed = await amountOn(client, invoice, toPayer, "amount to the payer");
    return {
      data: { id, toPayer: parsed.formatted, symbol: parsed.symbol },
      action: (c, confirm) => resolveDispute(c, { invoice, toPayer, confirm }),
    };
  });
}

const whole = {
  void: voidPayment,
  confirm: confirmPayment,
  reclaim: reclaimPayment,
  dispute: disputePayment,
} as const;

/** void, confirm, reclaim, dispute: move everything held, so no amount. */
export function onHeld(cli: Cli, what: keyof typeof whole, ref: string) {
  return run(cli, what, async ({ client }) => {
    const { invoice, id } = await invoiceOf(cli, client, ref);
    return { data: { id }, action: (c, confirm) => whole[what](c, { invoice, confirm }) };
  });
}

export function cancel(cli: Cli, ref: string) {
  return run(cli, "cancel invoice", async ({ client }) => {
    const { invoice, id } = await invoiceOf(cli, client, ref);
    return {
      data: { id, nonce: invoice.nonce.toString() },
      action: (c, confirm) => cancelInvoice(c, { nonce: invoice.nonce, confirm }),
    };
  });
}

export function withdraw(cli: Cli, amount: string, options: { to?: string; token?: string }) {
  return run(cli, "withdraw", async ({ client }) => {
    const token: Address | undefined = options.token === undefined ? undefined : parseAddress(options.token, "--token");
    const to =
      options.to === undefined
        ? undefined
        : (await resolveRecipient({ home: cli.home, recipient: options.to })).address;
    const { units, token: info } = await parseTokenAmount(client, { text: amount, token, what: "withdraw amount" });
    if (units === 0n) throw new InvalidAmountError("withdraw amount: expected more than 0", { reason: "zero" });
    return {
      data: { amount: formatAmount(units, info.decimals), symbol: info.symbol, to: to ?? null },
      action: (c, confirm) => withdrawAction(c, { amount, token, to, confirm }),
    };
  });
}
